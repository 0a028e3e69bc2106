"""order.confirmed and order.cancelled handled in process: one email and one record per
order and kind, readable in the mail directory, announced with notification.sent."""

import pytest
from django.db import transaction

from chassis.messaging.models import OutboxMessage
from notifications.handlers import HANDLERS
from notifications.models import Notification
from tests.conftest import order_outcome

pytestmark = pytest.mark.django_db


def handle(event) -> None:
    """As the consumer runner calls a handler: inside its transaction."""
    with transaction.atomic():
        HANDLERS[event.type](event)


def test_a_confirmed_order_gets_one_readable_email_and_an_event(mail_dir):
    event = order_outcome("order.confirmed", customer_id="c-9", email="grace@example.com")

    handle(event)

    notification = Notification.objects.get()
    assert (notification.kind, notification.channel, notification.status) == ("order_confirmed", "email", "SENT")
    assert (notification.customer_id, notification.email) == ("c-9", "grace@example.com")
    [message] = mail_dir.messages()
    assert "To: grace@example.com" in message
    assert f"Subject: Your order {event.data['order_id']} is confirmed" in message
    assert "We received your payment of 19.98 EUR and your order is confirmed." in message
    assert f"Message-ID: <{notification.id}@notifications.ecomlab>" in message
    sent = OutboxMessage.objects.get()
    assert sent.event_type == "notification.sent"
    assert sent.payload["data"] == {
        "notification_id": str(notification.id),
        "order_id": event.data["order_id"],
        "customer_id": "c-9",
        "channel": "email",
        "kind": "order_confirmed",
    }


def test_a_cancelled_order_email_gives_the_reason(mail_dir):
    handle(order_outcome("order.cancelled"))

    assert Notification.objects.get().kind == "order_cancelled"
    [message] = mail_dir.messages()
    assert "was cancelled" in message
    assert "Reason: payment declined: card_declined." in message
    assert OutboxMessage.objects.get().payload["data"]["kind"] == "order_cancelled"


def test_the_same_event_twice_sends_one_email(mail_dir):
    event = order_outcome()

    handle(event)
    handle(event)

    assert Notification.objects.count() == 1
    assert len(mail_dir.messages()) == 1
    assert OutboxMessage.objects.count() == 1


def test_another_message_for_the_same_order_and_kind_sends_nothing_more(mail_dir):
    first = order_outcome()
    handle(first)

    handle(order_outcome(order_id=first.data["order_id"]))

    assert Notification.objects.count() == 1
    assert len(mail_dir.messages()) == 1


def test_each_final_state_of_an_order_is_its_own_notification(mail_dir):
    confirmed = order_outcome("order.confirmed")
    handle(confirmed)
    handle(order_outcome("order.cancelled", order_id=confirmed.data["order_id"]))

    assert sorted(Notification.objects.values_list("kind", flat=True)) == ["order_cancelled", "order_confirmed"]


def test_a_failed_send_records_nothing_and_the_retry_sends_with_the_same_id(settings, mail_dir, mail_server_down):
    event = order_outcome()

    with pytest.raises(OSError):
        handle(event)
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"  # the mail server is back
    handle(event)

    notification = Notification.objects.get()
    assert f"Message-ID: <{notification.id}@notifications.ecomlab>" in mail_dir.messages()[0]
