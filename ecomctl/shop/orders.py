"""Placing and following orders: the operations behind `ecomctl order`, and the order or
products a user means by `last` or by SKU."""

from __future__ import annotations

import time
import uuid

from ecomctl.shop.api_client import ApiClient, ApiError

FINAL_STATES = {"CONFIRMED", "CANCELLED"}
LAST = "last"  # stands for the newest order the caller can see, where an order id is asked for


def resolve_order_id(api: ApiClient, order_id: str) -> str:
    if order_id != LAST:
        return order_id
    newest = api.request("GET", "/orders/", params={"limit": 1})["results"]
    if not newest:
        raise ApiError("There is no order yet to stand for `last`. Place one with `ecomctl order place`.")
    return newest[0]["id"]


def resolve_products(api: ApiClient, skus: list[str]) -> list[int]:
    """Product ids for SKUs (or ids given as numbers), via the public catalog. Ids alone
    need no catalog call, so an order can be placed by id while the catalog is down."""
    if all(sku.isdigit() for sku in skus):
        return [int(sku) for sku in skus]
    listed = api.request("GET", "/catalog/products/", params={"limit": 100})["results"]
    by_sku = {product["sku"]: product["id"] for product in listed}
    ids = []
    for sku in skus:
        if sku.isdigit():
            ids.append(int(sku))
        elif sku in by_sku:
            ids.append(by_sku[sku])
        else:
            known = ", ".join(sorted(by_sku)) or "none: run `ecomctl seed`"
            raise ApiError(f"No product with SKU {sku!r}; known SKUs: {known}.")
    return ids


def order_place(
    api: ApiClient, *, product_ids: list[int], quantity: int, payment_method: str, idempotency_key: str | None = None
) -> dict:
    body = {
        "items": [{"product_id": product_id, "quantity": quantity} for product_id in product_ids],
        "payment_method": payment_method,
    }
    headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
    return api.request("POST", "/orders/", json=body, headers=headers)


def order_wait(api: ApiClient, order_id: str, *, timeout: float = 30.0, on_poll=None) -> dict:
    """Poll the order until it reaches a final state or the timeout passes."""
    deadline = time.monotonic() + timeout
    while True:
        order = api.request("GET", f"/orders/{order_id}/")
        if on_poll:
            on_poll(order)
        if order["status"] in FINAL_STATES or time.monotonic() >= deadline:
            return order
        time.sleep(0.25)
