"""The metrics view: Prometheus text built from the outbox and the counters table."""

import threading

import pytest
from django.db import transaction

from chassis.messaging import publish
from chassis.messaging.inbox import InboxProcessor
from chassis.messaging.registry import load_consumer
from tests.support.events import envelope, order_created

pytestmark = pytest.mark.django_db(transaction=True)


def test_metrics_report_outbox_and_consumer_counts(client):
    with transaction.atomic():
        publish("order.created", order_created())
        publish("order.created", order_created())
    processor = InboxProcessor(load_consumer("receipts"), stop=threading.Event())
    event = envelope().to_json()
    processor.process(event, routing_key="order.created")
    processor.process(event, routing_key="order.created")
    processor.process(b"junk", routing_key="order.created")

    response = client.get("/internal/metrics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = response.content.decode()
    labels = 'service="chassis-test",consumer="receipts",event_type="order.created"'
    assert 'ecomlab_outbox_pending{service="chassis-test"} 2\n' in text
    assert 'ecomlab_outbox_published_total{service="chassis-test"} 0\n' in text
    assert f"ecomlab_events_consumed_total{{{labels}}} 1\n" in text
    assert f"ecomlab_events_duplicates_total{{{labels}}} 1\n" in text
    assert f"ecomlab_events_dead_lettered_total{{{labels}}} 1\n" in text
    assert "# TYPE ecomlab_events_handler_failures_total counter\n" in text


def test_metrics_answer_get_only(client):
    assert client.post("/internal/metrics").status_code == 405
