"""The provider's client: charge a payment method once per idempotency key.

ProviderError
├── ProviderUnavailable    transient (timeout, outage): retry with the same key
└── IdempotencyKeyReused   a key sent again with other parameters: a caller bug
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

from chassis.inserts import insert_unless_present
from payments.provider.models import ProviderCharge, ProviderSettings
from payments.provider.tokens import decline_code


class ProviderError(Exception):
    """The provider could not give an answer about the charge."""


class ProviderUnavailable(ProviderError):
    """The provider did not answer; the same request with the same key may succeed later."""


class IdempotencyKeyReused(ProviderError):
    """The key was already used for a charge with a different amount, currency or method."""


@dataclass(frozen=True)
class ChargeResult:
    charge_id: str
    succeeded: bool
    decline_code: str | None = None


class PaymentProvider:
    def __init__(self, *, latency_ms: int = 0, failure_rate: float = 0.0, rng: random.Random | None = None):
        self.latency_ms = latency_ms
        self.failure_rate = failure_rate
        self._rng = rng or random.Random()

    @classmethod
    def from_operator_settings(cls) -> "PaymentProvider":
        """A client that behaves as the operator has set it (see ProviderSettings)."""
        current = ProviderSettings.current()
        return cls(latency_ms=current.latency_ms, failure_rate=current.failure_rate)

    def charge(
        self, *, idempotency_key: str, amount: Decimal, currency: str, payment_method: str, reference: str = ""
    ) -> ChargeResult:
        """Charge once per key: asking again with the same key returns the first answer."""
        time.sleep(self.latency_ms / 1000)
        if self._rng.random() < self.failure_rate:
            raise ProviderUnavailable("The payment provider did not answer; try again with the same key.")
        code = decline_code(payment_method)
        # One statement, committed on its own (the ledger has its own connection, outside
        # the caller's transaction): a new key is charged; a key already charged (by a
        # concurrent attempt too) keeps its first charge, which is then read and answered.
        charge = ProviderCharge(
            idempotency_key=idempotency_key,
            reference=reference,
            charge_id=f"ch_{uuid.uuid4().hex[:24]}",
            amount=amount,
            currency=currency,
            payment_method=payment_method,
            outcome=ProviderCharge.Outcome.DECLINED if code else ProviderCharge.Outcome.SUCCEEDED,
            decline_code=code or "",
        )
        if not insert_unless_present(charge):
            charge = ProviderCharge.objects.get(idempotency_key=idempotency_key)
        if (charge.amount, charge.currency, charge.payment_method) != (Decimal(amount), currency, payment_method):
            raise IdempotencyKeyReused(
                f"Idempotency key {idempotency_key!r} was used for another charge; use a new key."
            )
        return ChargeResult(
            charge_id=charge.charge_id,
            succeeded=charge.outcome == ProviderCharge.Outcome.SUCCEEDED,
            decline_code=charge.decline_code or None,
        )
