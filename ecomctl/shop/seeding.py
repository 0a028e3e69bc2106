"""Idempotent demo data, created through the public API as a real client would."""

from __future__ import annotations

from dataclasses import dataclass, field

from ecomctl.runtime.base import Runtime
from ecomctl.shop import demo_data
from ecomctl.shop.api_client import ApiClient, ApiError


@dataclass
class SeedReport:
    customers_created: list[str] = field(default_factory=list)
    customers_existing: list[str] = field(default_factory=list)
    products_created: list[str] = field(default_factory=list)
    products_existing: list[str] = field(default_factory=list)


def seed_stack(runtime: Runtime) -> SeedReport:
    """The whole demo world for a running stack. The first admin cannot come from the
    public API (nobody may make themselves admin): like any operator, ecomctl creates it
    with auth's management command; the rest goes through the public API."""
    admin = demo_data.ADMIN
    runtime.manage(
        "auth",
        ["ensure_user", "--email", admin["email"], "--password", admin["password"], "--name", admin["name"], "--admin"],
    )
    return seed(ApiClient(runtime.gateway_url()))


def seed(api: ApiClient) -> SeedReport:
    report = SeedReport()
    for customer in demo_data.CUSTOMERS:
        try:
            api.request("POST", "/auth/register/", json=customer)
            report.customers_created.append(customer["email"])
        except ApiError as error:
            if not _already_registered(error):
                raise
            report.customers_existing.append(customer["email"])

    admin = api.login(demo_data.ADMIN["email"], demo_data.ADMIN["password"])
    listed = admin.every("/catalog/products/", params={"include_inactive": "true"})
    existing = {product["sku"] for product in listed}
    for product in demo_data.PRODUCTS:
        if product["sku"] in existing:
            report.products_existing.append(product["sku"])
        else:
            admin.request("POST", "/catalog/products/", json=product)
            report.products_created.append(product["sku"])
    return report


def _already_registered(error: ApiError) -> bool:
    if error.status == 409:
        return True
    email_problems = " ".join(map(str, error.body.get("fields", {}).get("email", [])))
    return error.status == 400 and "already" in email_problems.lower()
