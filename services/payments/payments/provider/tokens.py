"""Stripe-like test payment methods and the answer the simulated provider gives each."""

from __future__ import annotations

CARD_DECLINED = "card_declined"
INSUFFICIENT_FUNDS = "insufficient_funds"
INVALID_PAYMENT_METHOD = "invalid_payment_method"

# None means the charge succeeds; otherwise the decline code the card network answers with.
TEST_TOKENS: dict[str, str | None] = {
    "tok_visa": None,
    "tok_mastercard": None,
    "tok_chargeDeclined": CARD_DECLINED,
    "tok_insufficientFunds": INSUFFICIENT_FUNDS,
}


def decline_code(payment_method: str) -> str | None:
    """Why a charge on this payment method is declined, or None when it succeeds."""
    return TEST_TOKENS.get(payment_method, INVALID_PAYMENT_METHOD)
