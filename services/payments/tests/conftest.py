"""Fixtures for the payments tests: order.created events, the provider's settings, and
running the order-created consumer's handlers the way the consumer runner does."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connections

from chassis.messaging.envelope import Envelope
from chassis.messaging.inbox import InboxProcessor
from chassis.messaging.registry import load_consumer
from payments.provider.models import ProviderSettings

# The provider's ledger has its own connection, so every test that charges needs both.
DATABASES = ["default", "provider_ledger"]


def order_created(
    *,
    payment_method: str = "tok_visa",
    order_id: str | None = None,
    customer_id: str = "customer-1",
    total: str = "19.98",
) -> Envelope:
    return Envelope.new(
        "order.created",
        {
            "order_id": order_id or str(uuid.uuid4()),
            "customer": {"id": customer_id, "email": "ada@example.com"},
            "items": [{"product_id": 7, "name": "Teapot", "quantity": 2, "unit_price": "9.99"}],
            "total": total,
            "currency": "EUR",
            "payment_method": payment_method,
        },
    )


@pytest.fixture(scope="session", autouse=True)
def _close_ledger_connection(django_db_setup):
    """The test database can only be dropped once no connection is left open on it."""
    yield
    connections["provider_ledger"].close()


@pytest.fixture
def provider_behaves():
    """Set the simulated provider's latency and failure rate for this test."""

    def configure(*, latency_ms: int = 0, failure_rate: float = 0.0) -> None:
        ProviderSettings.objects.update_or_create(
            id=ProviderSettings.SINGLETON_ID, defaults={"latency_ms": latency_ms, "failure_rate": failure_rate}
        )

    return configure


@pytest.fixture
def consumer() -> InboxProcessor:
    """The order-created consumer as the runner drives it: inbox row and handler in one transaction."""
    return InboxProcessor(load_consumer("order-created"), stop=threading.Event())
