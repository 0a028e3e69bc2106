"""Pruning the messaging tables: what is past its retention goes, in chunks; what is
recent or not yet published stays; the relay does it by itself when idle."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from chassis.messaging.models import InboxMessage, OutboxMessage
from chassis.messaging.retention import prune_messaging_tables
from chassis_testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def outbox_row(*, age: timedelta, published: bool) -> OutboxMessage:
    row = OutboxMessage.objects.create(id=uuid.uuid4(), event_type="order.created", payload={})
    created = timezone.now() - age
    # auto_now_add cannot be given a value at creation; set the age afterwards.
    OutboxMessage.objects.filter(id=row.id).update(created_at=created, published_at=created if published else None)
    return row


def inbox_row(*, age: timedelta) -> InboxMessage:
    row = InboxMessage.objects.create(consumer="receipts", message_id=uuid.uuid4(), event_type="order.created")
    InboxMessage.objects.filter(id=row.id).update(processed_at=timezone.now() - age)
    return row


def test_old_published_rows_and_old_inbox_records_are_deleted_in_chunks():
    old, recent = timedelta(days=8), timedelta(hours=1)
    kept_outbox = {outbox_row(age=recent, published=True).id, outbox_row(age=old, published=False).id}
    for _ in range(5):
        outbox_row(age=old, published=True)
        inbox_row(age=old)
    kept_inbox = {inbox_row(age=recent).id}

    pruned = prune_messaging_tables(outbox_retention=timedelta(days=7), inbox_retention=timedelta(days=7), chunk_size=2)

    assert (pruned.outbox, pruned.inbox) == (5, 5)
    assert set(OutboxMessage.objects.values_list("id", flat=True)) == kept_outbox
    assert set(InboxMessage.objects.values_list("id", flat=True)) == kept_inbox


def test_an_event_never_published_is_kept_however_old():
    row = outbox_row(age=timedelta(days=365), published=False)
    prune_messaging_tables(outbox_retention=timedelta(0), inbox_retention=timedelta(0))
    assert OutboxMessage.objects.filter(id=row.id).exists()


def test_the_command_prunes_with_the_retention_given(capsys):
    outbox_row(age=timedelta(hours=3), published=True)
    inbox_row(age=timedelta(hours=3))
    inbox_row(age=timedelta(minutes=10))
    call_command("prune_messaging", "--outbox-hours", "2", "--inbox-hours", "1")
    assert "Deleted 1 published outbox rows and 1 inbox records." in capsys.readouterr().out
    assert not OutboxMessage.objects.exists() and InboxMessage.objects.count() == 1


def test_the_command_refuses_a_negative_retention():
    with pytest.raises(CommandError, match="--inbox-hours must be zero or more hours"):
        call_command("prune_messaging", "--inbox-hours", "-1")


@pytest.mark.processes
def test_the_relay_prunes_when_idle(start_process):
    outbox_row(age=timedelta(days=8), published=True)
    inbox_row(age=timedelta(days=8))
    recent = inbox_row(age=timedelta(hours=1))
    relay = start_process("relay_outbox")
    wait_until(lambda: not OutboxMessage.objects.exists(), timeout=15, message="old published row pruned")
    wait_until(lambda: InboxMessage.objects.count() == 1, timeout=15, message="old inbox record pruned")
    assert InboxMessage.objects.get().id == recent.id
    wait_until(lambda: "messaging tables pruned" in relay.output(), timeout=5, message="pruning logged")
