"""Password guessing, limited per account: after a few failed logins for one email, each
further attempt must wait, twice as long after every failure (up to a cap). The gateway's
limit is per client address; this one holds whatever address a guesser comes from, and
for every email alike, so a locked answer tells nothing about whether the account exists."""

from __future__ import annotations

import hashlib
import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.errors import LoginLocked
from accounts.models import LoginFailure

FREE_FAILURES = 5  # failures in a row before logins for that email have to wait
FIRST_DELAY_SECONDS = 1
MAX_DELAY_SECONDS = 15 * 60
FORGET_AFTER = timedelta(days=1)  # a failure this old no longer counts
# Rows a failed login deletes on its way: forgotten failures, for emails nobody tried again
# (a guesser spraying made-up emails would otherwise grow the table without end). Bounded,
# so one login never pays for a large backlog; every failure clears some of it.
PRUNE_BATCH = 100


def login_backoff_check(*, email: str) -> None:
    """LoginLocked when logins for this email must wait, whatever the password."""
    record = LoginFailure.objects.filter(email_digest=_digest(email)).first()
    now = timezone.now()
    if record and record.locked_until and record.locked_until > now:
        raise LoginLocked(max(1, math.ceil((record.locked_until - now).total_seconds())))


def login_failed(*, email: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        record, _ = LoginFailure.objects.select_for_update().get_or_create(email_digest=_digest(email))
        if now - record.last_failed_at > FORGET_AFTER:
            record.failures = 0
        record.failures += 1
        record.last_failed_at = now
        if record.failures >= FREE_FAILURES:
            delay = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (record.failures - FREE_FAILURES))
            record.locked_until = now + timedelta(seconds=delay)
        record.save()
    prune_forgotten_failures(now=now)


def prune_forgotten_failures(*, now, limit: int = PRUNE_BATCH) -> int:
    """Delete up to `limit` rows whose failures no longer count and whose lock is over."""
    forgotten = (
        LoginFailure.objects.filter(last_failed_at__lt=now - FORGET_AFTER)
        .exclude(locked_until__gt=now)
        .order_by("last_failed_at")
        .values("pk")[:limit]
    )
    deleted, _ = LoginFailure.objects.filter(pk__in=forgotten).delete()
    return deleted


def login_succeeded(*, email: str) -> None:
    LoginFailure.objects.filter(email_digest=_digest(email)).delete()


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()
