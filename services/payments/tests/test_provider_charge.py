"""The simulated provider on its own: Stripe-like idempotency keys and transient failures."""

import random
import uuid
from decimal import Decimal

import pytest
from django.db import connections

from payments.provider.client import IdempotencyKeyReused, PaymentProvider, ProviderUnavailable
from payments.provider.models import ProviderCharge
from payments.provider.routers import LEDGER_DATABASE
from tests.conftest import DATABASES

pytestmark = pytest.mark.django_db(databases=DATABASES)

CHARGE = {"amount": Decimal("10.00"), "currency": "EUR", "payment_method": "tok_visa"}


def test_the_same_key_returns_the_first_answer_without_charging_again():
    provider, key = PaymentProvider(), str(uuid.uuid4())

    first = provider.charge(idempotency_key=key, **CHARGE)
    again = provider.charge(idempotency_key=key, **CHARGE)

    assert first == again and first.succeeded
    assert ProviderCharge.objects.filter(idempotency_key=key).count() == 1


def test_a_new_charge_is_one_statement_on_the_ledger(django_assert_num_queries):
    with django_assert_num_queries(1, connection=connections[LEDGER_DATABASE]):
        assert PaymentProvider().charge(idempotency_key=str(uuid.uuid4()), **CHARGE).succeeded


def test_a_key_reused_for_a_different_charge_is_refused():
    provider, key = PaymentProvider(), str(uuid.uuid4())
    provider.charge(idempotency_key=key, **CHARGE)

    with pytest.raises(IdempotencyKeyReused):
        provider.charge(idempotency_key=key, **{**CHARGE, "amount": Decimal("11.00")})


def test_a_declined_answer_is_kept_for_its_key_too():
    provider, key = PaymentProvider(), str(uuid.uuid4())
    declined = {**CHARGE, "payment_method": "tok_chargeDeclined"}

    first = provider.charge(idempotency_key=key, **declined)

    assert (first.succeeded, first.decline_code) == (False, "card_declined")
    assert provider.charge(idempotency_key=key, **declined) == first


def test_failures_happen_at_the_configured_rate():
    provider = PaymentProvider(failure_rate=0.5, rng=random.Random(7))
    failures = 0
    for _ in range(200):
        try:
            provider.charge(idempotency_key=str(uuid.uuid4()), **CHARGE)
        except ProviderUnavailable:
            failures += 1

    assert 70 < failures < 130
