"""Prices from the catalog service, the only source of product names and prices.

Calls go through chassis.http.ServiceClient (timeouts, retries, circuit breaker); any
failure to get a usable answer raises chassis.http.UpstreamUnavailable.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings

from chassis import switches
from chassis.http import CircuitBreaker, ServiceClient, UpstreamUnavailable

PRICES_PATH = "/catalog/products/prices/"


@dataclass(frozen=True)
class CatalogPrice:
    product_id: int
    name: str
    price: Decimal
    currency: str


@dataclass(frozen=True)
class PriceLookup:
    prices: dict[int, CatalogPrice]
    missing: frozenset[int]


def catalog_client() -> ServiceClient:
    """This process's client for the configured catalog; the same instance every call, so
    its circuit breaker remembers failures across requests."""
    if switches.is_on("no-breaker"):
        return _unguarded_client(settings.CATALOG_URL)
    return _client(settings.CATALOG_URL, settings.CATALOG_CONNECT_TIMEOUT, settings.CATALOG_READ_TIMEOUT)


@functools.lru_cache(maxsize=8)
def _unguarded_client(base_url: str) -> ServiceClient:
    """The no-breaker teaching switch: no timeout, no retry budget, a breaker that never
    opens. A frozen catalog then holds each request's worker until it answers, and the
    callers upstream find out only from their own timeouts."""
    return ServiceClient(
        "catalog",
        base_url,
        connect_timeout=None,
        read_timeout=None,
        retries=0,
        breaker=CircuitBreaker(failure_threshold=sys.maxsize),
    )


@functools.lru_cache(maxsize=8)
def _client(base_url: str, connect_timeout: float, read_timeout: float) -> ServiceClient:
    return ServiceClient(
        "catalog", base_url, connect_timeout=connect_timeout, read_timeout=read_timeout, retries=2, backoff=0.05
    )


def product_prices(*, product_ids: list[int]) -> PriceLookup:
    response = catalog_client().get(PRICES_PATH, params={"ids": ",".join(str(pid) for pid in product_ids)})
    if response.status_code != 200:
        # Our query is always well-formed, so a refusal means the catalog is not working as agreed.
        raise UpstreamUnavailable("catalog", f"answered {response.status_code} to a price lookup")
    try:
        body = response.json()
        prices = [_price(entry) for entry in body["products"]]
        missing = frozenset(int(product_id) for product_id in body["missing"])
    except (ValueError, KeyError, TypeError, InvalidOperation):
        raise UpstreamUnavailable("catalog", "answered a price lookup with an unexpected body") from None
    return PriceLookup(prices={price.product_id: price for price in prices}, missing=missing)


def _price(entry: dict) -> CatalogPrice:
    return CatalogPrice(
        product_id=int(entry["id"]),
        name=str(entry["name"]),
        price=Decimal(str(entry["price"])),
        currency=str(entry["currency"]),
    )
