"""Logging in as the demo world's people, who `ecomctl seed` creates: a customer named by
first name or email, or the admin."""

from __future__ import annotations

from ecomctl.shop import demo_data
from ecomctl.shop.api_client import ApiClient, ApiError


def customer_login(api: ApiClient, who: str) -> ApiClient:
    """Log in as a demo customer named by first name ('alice') or email."""
    for customer in demo_data.CUSTOMERS:
        if who in (customer["email"], customer["email"].split("@")[0]):
            return api.login(customer["email"], customer["password"])
    names = ", ".join(customer["email"].split("@")[0] for customer in demo_data.CUSTOMERS)
    raise ApiError(f"No demo customer called {who!r}; choose one of: {names}.")


def admin_login(api: ApiClient) -> ApiClient:
    """Log in as the demo admin (`ecomctl seed` creates it)."""
    return api.login(demo_data.ADMIN["email"], demo_data.ADMIN["password"])
