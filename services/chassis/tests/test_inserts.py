"""insert_unless_present: a row stored once, in one statement, whoever else tries."""

from __future__ import annotations

import uuid

import pytest

from chassis.inserts import insert_unless_present
from chassis.messaging.models import InboxMessage, OutboxMessage
from chassis_testing.threads import run_in_threads


def receipt(message_id: uuid.UUID, event_type: str = "order.created") -> InboxMessage:
    return InboxMessage(consumer="inserts-test", message_id=message_id, event_type=event_type)


@pytest.mark.django_db
def test_a_new_row_is_inserted_and_the_instance_saved(django_assert_num_queries):
    row = receipt(uuid.uuid4())

    with django_assert_num_queries(1):
        assert insert_unless_present(row) is True

    assert row.pk is not None and not row._state.adding
    stored = InboxMessage.objects.get(pk=row.pk)
    assert (stored.message_id, stored.event_type, stored.processed_at) == (
        row.message_id,
        "order.created",
        row.processed_at,
    )


@pytest.mark.django_db
def test_a_row_with_the_same_unique_values_is_left_as_it_was():
    message_id = uuid.uuid4()
    first = receipt(message_id)
    insert_unless_present(first)

    again = receipt(message_id, event_type="order.cancelled")

    assert insert_unless_present(again) is False
    assert again.pk is None and again._state.adding
    assert list(InboxMessage.objects.filter(message_id=message_id).values_list("pk", "event_type")) == [
        (first.pk, "order.created")
    ]


@pytest.mark.django_db
def test_values_are_stored_as_the_fields_prepare_them():
    event_id = uuid.uuid4()
    payload = {"id": str(event_id), "data": {"total": "12.50", "items": [1, 2]}}

    assert insert_unless_present(OutboxMessage(id=event_id, event_type="order.created", payload=payload))

    stored = OutboxMessage.objects.get(id=event_id)
    assert (stored.payload, stored.attempts, stored.published_at) == (payload, 0, None)


@pytest.mark.django_db(transaction=True)
def test_of_concurrent_inserts_exactly_one_stores_the_row():
    message_id = uuid.uuid4()

    results = run_in_threads(*[lambda: insert_unless_present(receipt(message_id)) for _ in range(4)])

    assert sorted(results) == [False, False, False, True]
    assert InboxMessage.objects.filter(message_id=message_id).count() == 1
