"""order.created handled in process: each test token's outcome, its event, and at most
one charge per order however often the order arrives."""

import time

import pytest
from django.db import transaction

from chassis.messaging.models import OutboxMessage
from payments.handlers import HANDLERS
from payments.models import Payment
from payments.provider.client import ProviderUnavailable
from payments.provider.models import ProviderCharge
from tests.conftest import DATABASES, order_created

pytestmark = pytest.mark.django_db(databases=DATABASES)

charge_order = HANDLERS["order.created"]


def handle(event) -> None:
    """As the consumer runner calls a handler: inside its transaction."""
    with transaction.atomic():
        charge_order(event)


@pytest.mark.parametrize(
    ("token", "status", "reason"),
    [
        ("tok_visa", "SUCCEEDED", ""),
        ("tok_mastercard", "SUCCEEDED", ""),
        ("tok_chargeDeclined", "FAILED", "card_declined"),
        ("tok_insufficientFunds", "FAILED", "insufficient_funds"),
        ("tok_doesNotExist", "FAILED", "invalid_payment_method"),
    ],
)
def test_each_test_token_gets_its_outcome_and_event(token, status, reason):
    event = order_created(payment_method=token, customer_id="c-7", total="42.50")

    handle(event)

    payment = Payment.objects.get(order_id=event.data["order_id"])
    assert (payment.status, payment.failure_reason, payment.customer_id) == (status, reason, "c-7")
    assert payment.provider_charge_id.startswith("ch_")
    published = OutboxMessage.objects.get()
    data = published.payload["data"]
    assert data["order_id"] == event.data["order_id"]
    assert data["payment_id"] == str(payment.id)
    assert (data["amount"], data["currency"]) == ("42.50", "EUR")
    if status == "SUCCEEDED":
        assert published.event_type == "payment.succeeded"
        assert data["provider_charge_id"] == payment.provider_charge_id
    else:
        assert published.event_type == "payment.failed"
        assert data["reason"] == reason


def test_the_same_event_twice_charges_once_and_publishes_once():
    event = order_created()

    handle(event)
    handle(event)

    assert Payment.objects.filter(order_id=event.data["order_id"]).count() == 1
    assert ProviderCharge.objects.filter(idempotency_key=event.data["order_id"]).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_another_message_for_the_same_order_charges_nothing_more():
    first = order_created()
    second = order_created(order_id=first.data["order_id"])
    assert first.id != second.id

    handle(first)
    handle(second)

    assert Payment.objects.filter(order_id=first.data["order_id"]).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_a_retry_after_a_rolled_back_charge_gets_the_same_provider_charge():
    event = order_created()

    class CrashAfterCharge(Exception):
        pass

    with pytest.raises(CrashAfterCharge), transaction.atomic():
        charge_order(event)
        raise CrashAfterCharge  # e.g. the process died before the commit
    assert not Payment.objects.exists()
    charged_before = ProviderCharge.objects.get(idempotency_key=event.data["order_id"])

    handle(event)

    assert Payment.objects.get().provider_charge_id == charged_before.charge_id
    assert ProviderCharge.objects.filter(idempotency_key=event.data["order_id"]).count() == 1


def test_an_unavailable_provider_raises_and_records_nothing(provider_behaves):
    provider_behaves(failure_rate=1.0)
    event = order_created()

    with pytest.raises(ProviderUnavailable):
        handle(event)

    assert not Payment.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not ProviderCharge.objects.filter(idempotency_key=event.data["order_id"]).exists()


def test_the_provider_answers_after_the_configured_latency(provider_behaves):
    provider_behaves(latency_ms=300)

    started = time.monotonic()
    handle(order_created())

    assert time.monotonic() - started >= 0.3
    assert Payment.objects.get().status == "SUCCEEDED"


def test_the_provider_ledger_names_the_order_each_charge_was_for():
    event = order_created()

    handle(event)

    assert ProviderCharge.objects.get().reference == event.data["order_id"]


def test_with_the_no_inbox_switch_a_duplicate_reaches_the_provider_again(settings):
    """The teaching switch: without looking for the order's payment and with a new key per
    attempt, the provider charges the duplicate; only then does the unique order_id refuse
    the second row, too late for the customer's card."""
    from django.db import IntegrityError

    settings.UNSAFE_SWITCHES = frozenset({"no-inbox"})
    event = order_created()
    handle(event)

    with pytest.raises(IntegrityError):
        handle(event)

    assert Payment.objects.filter(order_id=event.data["order_id"]).count() == 1
    charges = ProviderCharge.objects.filter(reference=event.data["order_id"], outcome="succeeded")
    assert charges.count() == 2
