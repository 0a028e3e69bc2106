"""Handlers whose behaviour the event picks through order.created's payment_method:
"poison" always raises, "slow:<seconds>" sleeps first, "chain" publishes a follow-up event,
"disconnect-once" has the database drop the handler's connection the first time only."""

import logging
import os
import time

from django.db import connection

from chassis.messaging import publish
from chassis.messaging.envelope import Envelope
from tests.testapp.models import Receipt

logger = logging.getLogger(__name__)
_disconnected: set[str] = set()


def record(event: Envelope) -> None:
    behaviour = event.data.get("payment_method", "")
    if behaviour == "poison":
        raise RuntimeError("this event can never be handled")
    if behaviour == "disconnect-once" and event.id not in _disconnected:
        _disconnected.add(event.id)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    if behaviour.startswith("slow:"):
        logger.info("slow handler sleeping", extra={"event_id": event.id})  # what a test waits for
        time.sleep(float(behaviour.removeprefix("slow:")))
    Receipt.objects.create(event_id=event.id, event_type=event.type, handled_by_pid=os.getpid())
    if behaviour == "chain":
        publish(
            "payment.succeeded",
            {
                "order_id": event.data["order_id"],
                "payment_id": "7b0c5a4e-3f43-4d5c-9d7e-0b7f1c2d3e4f",
                "amount": event.data["total"],
                "currency": event.data["currency"],
                "provider_charge_id": "ch_test",
            },
        )


HANDLERS = {"order.created": record, "payment.succeeded": record}
