"""Idempotency keys with Stripe's semantics, scoped per customer: a key is claimed in its
own committed transaction before the work starts (so a concurrent duplicate sees it), the
response is stored with the work's own transaction, and a failed attempt releases it.

    (no row) ──claim──▶ in_progress ──complete──▶ completed  (replayed for 24 h)
                            └──release──▶ (no row)
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from chassis.inserts import insert_unless_present
from orders.models import IdempotencyKey, IdempotencyKeyState

KEY_LIFETIME = timedelta(hours=24)
# No placement runs this long (catalog calls are bounded by timeouts); an older claim was
# left by a process that died, and the order it was creating rolled back with it.
ABANDONED_AFTER = timedelta(minutes=2)
# A key released and claimed again by others between each of our looks this many times is
# busy: refuse rather than go on chasing it.
CLAIM_ATTEMPTS = 3


class IdempotencyKeyReused(Exception):
    """The key was first used with another request."""


class IdempotencyKeyInUse(Exception):
    """The first request with this key is still running."""


def idempotency_claim(*, customer_id: str, key: str, fingerprint: str) -> IdempotencyKey:
    """Claim key for this request, or return the completed record to replay.

    Must run outside any transaction, so the claim is visible to others at once.
    Raises IdempotencyKeyReused or IdempotencyKeyInUse."""
    for _ in range(CLAIM_ATTEMPTS):
        now = timezone.now()
        record = _claim_unused(customer_id=customer_id, key=key, fingerprint=fingerprint, now=now)
        if record is not None:
            return record
        record = _claim_used(customer_id=customer_id, key=key, fingerprint=fingerprint, now=now)
        if record is not None:
            return record
    # Claimed and released again between each of our looks: another request is busy with it.
    raise IdempotencyKeyInUse


def _claim_unused(*, customer_id: str, key: str, fingerprint: str, now) -> IdempotencyKey | None:
    """The common case in one statement, committed at once: the key is new, so claim it.
    None when the key is already there."""
    record = IdempotencyKey(
        customer_id=customer_id, key=key, fingerprint=fingerprint, state=IdempotencyKeyState.IN_PROGRESS, created_at=now
    )
    return record if insert_unless_present(record) else None


@transaction.atomic
def _claim_used(*, customer_id: str, key: str, fingerprint: str, now) -> IdempotencyKey | None:
    """The key was used before: replay it, take over an expired or abandoned claim, or
    refuse. None when it was released meanwhile (the caller then claims it anew)."""
    record = IdempotencyKey.objects.select_for_update().filter(customer_id=customer_id, key=key).first()
    if record is None:
        return None
    expired = record.created_at <= now - KEY_LIFETIME
    abandoned = record.state == IdempotencyKeyState.IN_PROGRESS and record.created_at <= now - ABANDONED_AFTER
    if expired or abandoned:
        record.fingerprint, record.state, record.created_at = fingerprint, IdempotencyKeyState.IN_PROGRESS, now
        record.response_status = record.response_body = None
        record.save()
        return record
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    if record.state == IdempotencyKeyState.IN_PROGRESS:
        raise IdempotencyKeyInUse
    return record


def idempotency_complete(*, record: IdempotencyKey, status: int, body: dict) -> None:
    """Store the response; call inside the work's transaction so both commit together.

    Raises IdempotencyKeyInUse when the claim was taken over meanwhile, which rolls the
    work back rather than doing it twice."""
    stored = _own_claim(record).update(state=IdempotencyKeyState.COMPLETED, response_status=status, response_body=body)
    if not stored:
        raise IdempotencyKeyInUse


def idempotency_release(*, record: IdempotencyKey) -> None:
    """Forget a claim whose request failed, so the client can retry with the same key."""
    _own_claim(record).delete()


def idempotency_purge_expired() -> int:
    """Delete keys past their lifetime; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lte=timezone.now() - KEY_LIFETIME).delete()
    return deleted


def _own_claim(record: IdempotencyKey):
    # created_at is reset on every claim, so it tells this claim from a later takeover.
    return IdempotencyKey.objects.filter(
        pk=record.pk, state=IdempotencyKeyState.IN_PROGRESS, created_at=record.created_at
    )
