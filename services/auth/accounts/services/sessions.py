"""Logging in and staying logged in: short-lived RS256 access tokens, and opaque refresh
tokens that rotate on every use.

A login starts a refresh-token family. Each refresh marks the presented token used and
issues the next one in the same family. A used token presented again means two parties
hold it, so the whole family is revoked and both must log in again.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import jwt
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import selectors
from accounts.errors import InvalidCredentials, InvalidRefreshToken
from accounts.models import RefreshToken, User
from accounts.services.login_backoff import login_backoff_check, login_failed, login_succeeded
from accounts.services.signing_keys import signing_key_ensure_active

WRONG_CREDENTIALS = "No active account with this email and password."


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    expires_in: int


@lru_cache(maxsize=8)
def _private_key(pem: str):
    return serialization.load_pem_private_key(pem.encode(), password=None)


def _hash(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


def access_token_issue(*, user: User) -> str:
    key = signing_key_ensure_active()
    now = int(time.time())
    claims = {
        "iss": settings.JWT_ISSUER,
        "aud": settings.JWT_AUDIENCE,
        "sub": str(user.id),
        "email": user.email,
        "name": user.name,
        "roles": user.roles,
        "iat": now,
        "exp": now + settings.ACCESS_TOKEN_LIFETIME,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, _private_key(key.private_key_pem), algorithm="RS256", headers={"kid": key.kid})


def _token_pair(*, user: User, family: uuid.UUID) -> TokenPair:
    refresh = secrets.token_urlsafe(32)
    RefreshToken.objects.create(
        user=user,
        family=family,
        token_hash=_hash(refresh),
        expires_at=timezone.now() + timedelta(seconds=settings.REFRESH_TOKEN_LIFETIME),
    )
    return TokenPair(access=access_token_issue(user=user), refresh=refresh, expires_in=settings.ACCESS_TOKEN_LIFETIME)


def session_create(*, email: str, password: str) -> TokenPair:
    """Log in: a new refresh-token family and a first pair of tokens.

    Raises LoginLocked while this email's failed logins make it wait (the password is not
    even looked at), and InvalidCredentials for a wrong email, password or a disabled account.
    """
    login_backoff_check(email=email)
    user = selectors.user_get_by_email(email=email)
    if user is None:
        # Hash anyway, so the answer for an unknown email takes as long as a wrong password.
        User().set_password(password)
    if user is None or not user.check_password(password) or not user.is_active:
        login_failed(email=email)  # committed on its own: the refusal must not undo it
        raise InvalidCredentials(WRONG_CREDENTIALS)
    with transaction.atomic():
        login_succeeded(email=email)
        return _token_pair(user=user, family=uuid.uuid4())


def _refusal(record: RefreshToken, now: datetime) -> str | None:
    if record.used_at is not None:
        return "This refresh token was already used; every session of this login is revoked. Log in again."
    if record.revoked_at is not None:
        return "This refresh token has been revoked. Log in again."
    if record.expires_at <= now:
        return "This refresh token has expired. Log in again."
    if not record.user.is_active:
        return "This account is disabled."
    return None


def session_refresh(*, refresh_token: str) -> TokenPair:
    """Trade a refresh token for a new pair; the presented token can never be used again."""
    now = timezone.now()
    with transaction.atomic():
        record = (
            RefreshToken.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=_hash(refresh_token))
            .first()
        )
        if record is None:
            raise InvalidRefreshToken("This refresh token is not valid. Log in again.")
        refusal = _refusal(record, now)
        if refusal is None:
            record.used_at = now
            record.save(update_fields=["used_at"])
            return _token_pair(user=record.user, family=record.family)
        if record.used_at is not None:
            RefreshToken.objects.filter(family=record.family, revoked_at__isnull=True).update(revoked_at=now)
    # Raised only now, so the family's revocation above is committed, not rolled back.
    raise InvalidRefreshToken(refusal)
