"""Writes of the notifications service: tell a customer, once, how their order ended.

Record, send, then commit: the row and the notification.sent event are written, the email
is sent, and only then does the consumer's transaction commit. A failed send rolls
everything back and the message is retried, so no notification is lost. If the commit
fails after a successful send, the retry sends the email again (at least once); it
carries the same Message-ID, derived from the notification id, so mail systems can drop
the copy. The database stays the record of what was sent: one row per order and kind.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from chassis.inserts import insert_unless_present
from chassis.messaging import publish
from notifications.messages import compose
from notifications.models import Notification, notification_id_for


# Inside the consumer's transaction it joins it without a savepoint of its own (two round
# trips fewer per event): the consumer isolates a failing event itself, and any error here
# undoes the whole event anyway.
@transaction.atomic(savepoint=False)
def notification_send_for_order(
    *,
    order_id: uuid.UUID,
    kind: str,
    customer_id: str,
    email: str,
    total: Decimal,
    currency: str,
    reason: str | None = None,
) -> Notification:
    """Send the order's notification of this kind unless it was sent already; returns it."""
    subject, body = compose(kind=kind, order_id=order_id, total=total, currency=currency, reason=reason)
    notification = Notification(
        id=notification_id_for(order_id=order_id, kind=kind),
        order_id=order_id,
        kind=kind,
        customer_id=customer_id,
        email=email,
        subject=subject,
        body=body,
        sent_at=timezone.now(),
    )
    # Under a concurrent duplicate the insert waits for the other transaction, then finds
    # its row and inserts nothing: only one of them sends.
    if not insert_unless_present(notification):
        return Notification.objects.get(order_id=order_id, kind=kind)
    _send_email(notification)
    publish(
        "notification.sent",
        {
            "notification_id": notification.id,
            "order_id": notification.order_id,
            "customer_id": notification.customer_id,
            "channel": notification.channel,
            "kind": notification.kind,
        },
    )
    return notification


def _send_email(notification: Notification) -> None:
    EmailMessage(
        subject=notification.subject,
        body=notification.body,
        to=[notification.email],
        headers={"Message-ID": f"<{notification.id}@{settings.SERVICE_NAME}.ecomlab>"},
    ).send(fail_silently=False)
