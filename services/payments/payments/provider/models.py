"""The provider's tables: its ledger of charges, one per idempotency key, and the
behaviour an operator sets at run time (answer latency, transient failure rate)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

MAX_LATENCY_MS = 30_000


class ProviderCharge(models.Model):
    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded"
        DECLINED = "declined"

    idempotency_key = models.CharField(max_length=255, unique=True)
    # What the merchant charged for (the order id), as a real provider keeps it in metadata;
    # it lets anyone count the charges of one order, however many keys were used.
    reference = models.CharField(max_length=255, blank=True, default="", db_index=True)
    charge_id = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    payment_method = models.CharField(max_length=255)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    decline_code = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "provider_charge"

    def __str__(self) -> str:
        return f"{self.charge_id} {self.outcome} {self.amount} {self.currency}"


class ProviderSettings(models.Model):
    """A single row (id 1): how the provider behaves right now."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    latency_ms = models.PositiveIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_LATENCY_MS)]
    )
    failure_rate = models.FloatField(default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "provider_settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="provider_settings_singleton"),
            models.CheckConstraint(
                condition=Q(latency_ms__gte=0, latency_ms__lte=MAX_LATENCY_MS), name="provider_latency_in_range"
            ),
            models.CheckConstraint(
                condition=Q(failure_rate__gte=0.0, failure_rate__lte=1.0), name="provider_failure_rate_in_range"
            ),
        ]

    @classmethod
    def current(cls) -> "ProviderSettings":
        """The row, created with the defaults (no latency, no failures) on first use."""
        current, _ = cls.objects.get_or_create(id=cls.SINGLETON_ID)
        return current

    def __str__(self) -> str:
        return f"latency {self.latency_ms} ms, failure rate {self.failure_rate}"
