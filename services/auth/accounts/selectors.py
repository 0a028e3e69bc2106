"""Reads of auth's data: users and the signing keys that are published."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import SigningKey, User


def user_get(*, user_id: str) -> User | None:
    """The active user with this id, or None (also for ids that are not UUIDs)."""
    try:
        parsed = uuid.UUID(str(user_id))
    except ValueError:
        return None
    return User.objects.filter(id=parsed, is_active=True).first()


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email=email.strip().lower()).first()


def signing_key_active() -> SigningKey | None:
    return SigningKey.objects.filter(retired_at__isnull=True).first()


def signing_key_published() -> QuerySet[SigningKey]:
    """Keys a token may still be verified with: the active one, and retired ones whose
    tokens can still be alive."""
    return SigningKey.objects.filter(Q(retired_at__isnull=True) | Q(published_until__gt=timezone.now()))


def signing_key_published_get(*, kid: str) -> SigningKey | None:
    return signing_key_published().filter(kid=kid).first()
