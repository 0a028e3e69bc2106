"""Payments: the one charge attempt made for each order, and how it ended."""

from __future__ import annotations

import uuid

from django.db import models


class Payment(models.Model):
    class Status(models.TextChoices):
        SUCCEEDED = "SUCCEEDED"
        FAILED = "FAILED"

    class FailureReason(models.TextChoices):
        CARD_DECLINED = "card_declined"
        INSUFFICIENT_FUNDS = "insufficient_funds"
        INVALID_PAYMENT_METHOD = "invalid_payment_method"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Unique: the last guard of "at most one charge per order".
    order_id = models.UUIDField(unique=True)
    customer_id = models.CharField(max_length=255, db_index=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    payment_method = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices)
    failure_reason = models.CharField(max_length=32, choices=FailureReason.choices, blank=True, default="")
    provider_charge_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="SUCCEEDED", failure_reason="")
                    | (models.Q(status="FAILED") & ~models.Q(failure_reason=""))
                ),
                name="payment_reason_only_when_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.status} {self.amount} {self.currency}"
