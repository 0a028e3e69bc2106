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


def login_succeeded(*, email: str) -> None:
    LoginFailure.objects.filter(email_digest=_digest(email)).delete()


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()
