"""Reads of the catalog."""

from __future__ import annotations

from django.db.models import QuerySet

from products.models import Product

MAX_PRICE_LOOKUP = 100


def product_list(*, search: str = "", include_inactive: bool = False) -> QuerySet[Product]:
    products = Product.objects.all()
    if not include_inactive:
        products = products.filter(active=True)
    if search:
        products = products.filter(name__icontains=search)
    return products


def product_get(*, product_id: int, include_inactive: bool = False) -> Product | None:
    return product_list(include_inactive=include_inactive).filter(id=product_id).first()


def product_prices(*, product_ids: list[int]) -> tuple[list[Product], list[int]]:
    """Current prices of active products, and the ids that are unknown or no longer sold."""
    found = list(Product.objects.filter(id__in=product_ids, active=True))
    known = {product.id for product in found}
    return found, [product_id for product_id in product_ids if product_id not in known]
