"""Reads of notifications."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from chassis.authentication import TokenUser
from notifications.models import Notification


def notification_list(*, caller: TokenUser) -> QuerySet[Notification]:
    """The caller's own notifications; every notification for admins."""
    notifications = Notification.objects.all()
    return notifications if caller.is_admin else notifications.filter(customer_id=caller.id)


def notification_get(*, caller: TokenUser, notification_id: uuid.UUID) -> Notification | None:
    return notification_list(caller=caller).filter(id=notification_id).first()
