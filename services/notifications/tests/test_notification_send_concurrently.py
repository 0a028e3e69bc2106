"""Duplicate order outcomes handled at the same moment by two consumers, each on its own
thread and database connection, through the real inbox processor."""

import pytest

from chassis.messaging.inbox import Outcome
from chassis.messaging.models import InboxMessage, OutboxMessage
from chassis_testing.threads import run_in_threads
from notifications.models import Notification
from tests.conftest import order_outcome

pytestmark = pytest.mark.django_db(transaction=True)


def deliver(consumer, event):
    return lambda: consumer.process(event.to_json(), routing_key=event.type)


def test_two_messages_for_one_outcome_at_the_same_moment_send_one_email(consumer, mail_dir):
    first = order_outcome()
    second = order_outcome(order_id=first.data["order_id"])

    outcomes = run_in_threads(deliver(consumer, first), deliver(consumer, second))

    assert outcomes == [Outcome.ACK, Outcome.ACK]
    assert InboxMessage.objects.count() == 2
    assert Notification.objects.count() == 1
    assert len(mail_dir.messages()) == 1
    assert OutboxMessage.objects.count() == 1


def test_an_unreachable_mail_server_requeues_the_message(consumer, mail_server_down):
    event = order_outcome("order.cancelled")

    assert consumer.process(event.to_json(), routing_key=event.type) is Outcome.REQUEUE

    assert not Notification.objects.exists() and not InboxMessage.objects.exists()
