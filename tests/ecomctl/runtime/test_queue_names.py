"""ecomctl names the consumer queues as the services name them, and a service's broker
account covers exactly its own."""

from __future__ import annotations

import re

from chassis.messaging import topology
from ecomctl.runtime.queue_names import consumer_queue, consumer_queues, dead_letter_queue, own_queues_pattern


def test_consumer_queues_are_named_after_their_service_and_consumer(stack):
    assert consumer_queues(stack) == [
        "orders.payment-results",
        "payments.order-created",
        "notifications.order-outcomes",
    ]
    assert dead_letter_queue("payments.order-created") == "payments.order-created.dlq"


def test_ecomctl_and_the_chassis_follow_the_same_rule(stack):
    for service in stack.services:
        for consumer in service.consumers:
            queue = consumer_queue(service.name, consumer)
            assert queue == topology.consumer_queue(service.name, consumer)
            assert dead_letter_queue(queue) == topology.dead_letter_queue(queue)


def test_a_services_queue_pattern_matches_its_own_queues_only():
    pattern = own_queues_pattern("orders")

    assert re.fullmatch(pattern, "orders.payment-results")
    assert re.fullmatch(pattern, "orders.payment-results.dlq")
    for other in ("payments.order-created", "ordersXpayment-results", "orders.payment-results.dlq.x", "orders."):
        assert not re.fullmatch(pattern, other), other
