"""The flows view: one flow's published and handled events, found by correlation id or by a
field of the events' data, and a clear 400 when neither is given."""

import threading
import uuid

import pytest
from django.db import transaction

from chassis.correlation import correlation_scope
from chassis.messaging import publish
from chassis.messaging.inbox import InboxProcessor
from chassis.messaging.registry import load_consumer
from tests.support.events import envelope, order_created

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_flow_is_found_by_a_data_field_and_then_by_its_correlation_id(client):
    flow = f"flow-{uuid.uuid4().hex[:12]}"
    data = order_created()
    with correlation_scope(flow), transaction.atomic():
        published = publish("order.created", data)
    with correlation_scope(flow):
        consumed = envelope(data=order_created())
    InboxProcessor(load_consumer("receipts"), stop=threading.Event()).process(
        consumed.to_json(), routing_key="order.created"
    )

    by_order = client.get("/internal/flows/", {"data.order_id": data["order_id"]}).json()
    by_flow = client.get("/internal/flows/", {"correlation_id": flow}).json()

    assert [event["id"] for event in by_order["published"]] == [str(published.id)]
    assert by_order["published"][0]["correlation_id"] == flow
    assert {event["id"] for event in by_flow["published"]} == {str(published.id)}
    assert [(event["id"], event["consumer"]) for event in by_flow["consumed"]] == [(consumed.id, "receipts")]


def test_without_a_filter_it_names_what_is_missing(client):
    response = client.get("/internal/flows/", {"data.Bad-Field": "x"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"correlation_id": ["This field is required."]}
