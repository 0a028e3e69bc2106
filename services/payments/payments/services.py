"""Writes of the payments service: charging an order at most once, and setting the
simulated provider's behaviour.

At most one charge per order, even when two deliveries of order.created for the same
order are handled at the same moment by two consumer processes, holds by three guards:

1. a transaction-scoped advisory lock on the order id, so handlers of the same order run
   one after the other and the second finds the first one's payment;
2. the unique order_id of Payment, should anything get past the lock;
3. the provider's idempotency key (the order id), so a charge made by a handler whose
   transaction then rolled back is answered again, not made again, on the retry.

The no-inbox teaching switch turns the first and third off (with the inbox): the unique
order_id then still keeps this table right, but only after the provider has charged again.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import connection, transaction

from chassis import switches
from chassis.messaging import publish
from payments.models import Payment
from payments.provider.client import ChargeResult, PaymentProvider
from payments.provider.models import ProviderSettings

# First key of the two-key advisory lock: keeps these locks apart from any other use.
_ORDER_LOCK_NAMESPACE = 0x5041_5931  # "PAY1"


# Inside the consumer's transaction it joins it without a savepoint of its own (two round
# trips fewer per event): the consumer isolates a failing event itself, and any error here
# undoes the whole event anyway.
@transaction.atomic(savepoint=False)
def payment_charge_order(
    *, order_id: uuid.UUID, customer_id: str, amount: Decimal, currency: str, payment_method: str
) -> Payment:
    """Charge an order's total once and record the outcome with its event; a later call
    for the same order returns the recorded payment and charges nothing.

    Raises ProviderUnavailable when the provider does not answer: nothing is recorded,
    and the caller retries (the consumer requeues the message).
    """
    naive = switches.is_on("no-inbox")
    if not naive:
        _lock_order(order_id)
        existing = Payment.objects.filter(order_id=order_id).first()
        if existing is not None:
            return existing
    result = PaymentProvider.from_operator_settings().charge(
        # Under the no-inbox teaching switch: a new key per attempt, as a handler that
        # assumes it runs once would send, so the provider charges every delivery.
        idempotency_key=str(uuid.uuid4()) if naive else str(order_id),
        amount=amount,
        currency=currency,
        payment_method=payment_method,
        reference=str(order_id),
    )
    payment = Payment.objects.create(
        order_id=order_id,
        customer_id=customer_id,
        amount=amount,
        currency=currency,
        payment_method=payment_method,
        status=Payment.Status.SUCCEEDED if result.succeeded else Payment.Status.FAILED,
        failure_reason="" if result.succeeded else result.decline_code,
        provider_charge_id=result.charge_id,
    )
    _publish_outcome(payment, result)
    return payment


@transaction.atomic
def provider_settings_update(*, latency_ms: int | None = None, failure_rate: float | None = None) -> ProviderSettings:
    ProviderSettings.current()  # the row must exist before it can be locked
    # Locked so that two operators changing different fields do not undo each other.
    current = ProviderSettings.objects.select_for_update().get(id=ProviderSettings.SINGLETON_ID)
    if latency_ms is not None:
        current.latency_ms = latency_ms
    if failure_rate is not None:
        current.failure_rate = failure_rate
    current.save()
    return current


def _lock_order(order_id: uuid.UUID) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_ORDER_LOCK_NAMESPACE, str(order_id)])


def _publish_outcome(payment: Payment, result: ChargeResult) -> None:
    common = {
        "order_id": payment.order_id,
        "payment_id": payment.id,
        "amount": payment.amount,
        "currency": payment.currency,
    }
    if result.succeeded:
        publish("payment.succeeded", {**common, "provider_charge_id": result.charge_id})
    else:
        publish("payment.failed", {**common, "reason": payment.failure_reason})
