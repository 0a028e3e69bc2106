"""Handlers whose behaviour the event picks through order.created's payment_method:
"poison" always raises, "slow:<seconds>" sleeps first, "chain" publishes a follow-up event."""

import os
import time

from chassis.messaging import publish
from chassis.messaging.envelope import Envelope
from tests.testapp.models import Receipt


def record(event: Envelope) -> None:
    behaviour = event.data.get("payment_method", "")
    if behaviour == "poison":
        raise RuntimeError("this event can never be handled")
    if behaviour.startswith("slow:"):
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
