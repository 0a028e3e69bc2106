"""Publishing a batch through the confirm window: everything confirmed, and each flow's
events in the order they were committed."""

from collections import defaultdict

import pytest
from django.db import transaction

from chassis.correlation import correlation_scope
from chassis.messaging import publish
from chassis.messaging.relay import OutboxRelay
from tests.support.events import order_created

pytestmark = pytest.mark.django_db(transaction=True)


def test_events_of_one_flow_keep_their_order_in_one_batch(tap):
    sent = defaultdict(list)
    with transaction.atomic():
        for _ in range(5):
            for flow in range(8):
                with correlation_scope(f"flow-order-{flow:04d}"):
                    sent[f"flow-order-{flow:04d}"].append(publish("order.created", order_created()).id)
    relay = OutboxRelay(batch_size=100)
    try:
        result = relay.relay_batch()
    finally:
        relay.publisher.close()

    assert (result.published, result.error) == (40, None)
    received = defaultdict(list)
    for properties, body in tap.drain():
        received[properties.headers["correlation_id"]].append(body["id"])
    assert received == sent
