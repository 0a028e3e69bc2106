"""Fixtures of the orders tests: a catalog double, order factories and request helpers."""

import uuid
from decimal import Decimal

import pytest

from orders import services
from tests.catalog_double import FakeCatalog


@pytest.fixture
def catalog(settings):
    """A running catalog double the service is pointed at; products are added per test."""
    fake = FakeCatalog()
    settings.CATALOG_URL = fake.start()
    yield fake
    fake.close()


@pytest.fixture
def mug(catalog) -> int:
    return catalog.add(101, name="Mug", price="7.50")


@pytest.fixture
def kettle(catalog) -> int:
    return catalog.add(102, name="Kettle", price="30.00")


def order_body(*items: tuple[int, int], payment_method: str = "tok_visa") -> dict:
    return {
        "items": [{"product_id": product_id, "quantity": quantity} for product_id, quantity in items],
        "payment_method": payment_method,
    }


@pytest.fixture
def place_order(api):
    """POST /orders/ as a caller; returns the response."""

    def place(caller, body: dict, **headers):
        return api.as_(caller).post("/orders/", body, format="json", **headers)

    return place


@pytest.fixture
def make_order(db):
    """An order stored directly, without the catalog, for read and event tests."""

    def make(caller, *, price: str = "7.50", quantity: int = 2):
        line = services.QuotedLine(product_id=101, name="Mug", quantity=quantity, unit_price=Decimal(price))
        return services.order_create(
            customer_id=caller.id,
            customer_email=caller.email,
            quote=services.Quote(lines=(line,), currency="EUR"),
            payment_method="tok_visa",
        ).order

    return make


def new_key() -> str:
    return f"key-{uuid.uuid4()}"
