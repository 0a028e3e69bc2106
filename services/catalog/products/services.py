"""Writes to the catalog; only admins reach these."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from products.models import Product


@transaction.atomic
def product_create(*, sku: str, name: str, price: Decimal, currency: str, description: str = "") -> Product:
    return Product.objects.create(sku=sku, name=name, price=price, currency=currency, description=description)


@transaction.atomic
def product_update(*, product: Product, **changes) -> Product:
    for field, value in changes.items():
        setattr(product, field, value)
    product.save()
    return product


@transaction.atomic
def product_deactivate(*, product: Product) -> Product:
    """Products are never deleted: orders placed earlier still name them."""
    product.active = False
    product.save(update_fields=["active", "updated_at"])
    return product
