"""Notifications: the one message sent to a customer for each final state of an order."""

from __future__ import annotations

import uuid

from django.db import models

# Notification ids are derived from (order, kind), so a retried send carries the same id.
NOTIFICATION_ID_NAMESPACE = uuid.UUID("6f1c2d8e-4b7a-5e3f-9a10-2c4d6e8f0a1b")


def notification_id_for(*, order_id: uuid.UUID, kind: str) -> uuid.UUID:
    return uuid.uuid5(NOTIFICATION_ID_NAMESPACE, f"{order_id}/{kind}")


class Notification(models.Model):
    class Kind(models.TextChoices):
        ORDER_CONFIRMED = "order_confirmed"
        ORDER_CANCELLED = "order_cancelled"

    class Channel(models.TextChoices):
        EMAIL = "email"

    class Status(models.TextChoices):
        SENT = "SENT"

    id = models.UUIDField(primary_key=True, editable=False)
    order_id = models.UUIDField()
    customer_id = models.CharField(max_length=255, db_index=True)
    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order_id", "kind"], name="notification_once_per_order_and_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.order_id} to {self.email}"
