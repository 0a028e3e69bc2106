"""Reads of payments and of the provider's current behaviour."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from chassis.authentication import TokenUser
from payments.models import Payment
from payments.provider.models import ProviderCharge, ProviderSettings


def payment_list(*, caller: TokenUser) -> QuerySet[Payment]:
    """The caller's own payments; every payment for admins."""
    payments = Payment.objects.all()
    return payments if caller.is_admin else payments.filter(customer_id=caller.id)


def payment_get(*, caller: TokenUser, payment_id: uuid.UUID) -> Payment | None:
    return payment_list(caller=caller).filter(id=payment_id).first()


def provider_settings_get() -> ProviderSettings:
    return ProviderSettings.current()


def provider_charge_list(*, reference: str | None = None) -> QuerySet[ProviderCharge]:
    """The provider's ledger, newest first: every charge it made, whoever asked for it."""
    charges = ProviderCharge.objects.order_by("-created_at", "-id")
    return charges.filter(reference=reference) if reference else charges
