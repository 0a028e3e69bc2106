"""The RSA keys that sign access tokens: created on first need, rotated on demand.

Several gunicorn workers may all find no key at start; a transaction-scoped PostgreSQL
advisory lock lets exactly one of them generate it, and the partial unique constraint on
active keys backs that up.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from jwt.algorithms import RSAAlgorithm

from accounts import selectors
from accounts.models import SigningKey

KEY_SIZE = 2048
# Any fixed number, the same in every worker: it names "the signing-key lock".
SIGNING_KEY_LOCK = 0x61757468_6B657973


def _lock_signing_keys() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SIGNING_KEY_LOCK])


def _thumbprint(public_jwk: dict) -> str:
    """RFC 7638 thumbprint: the kid is derived from the public key, so each key names itself."""
    members = {name: public_jwk[name] for name in ("e", "kty", "n")}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _new_signing_key() -> SigningKey:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    public_jwk = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
    kid = _thumbprint(public_jwk)
    public_jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return SigningKey.objects.create(kid=kid, private_key_pem=pem, public_jwk=public_jwk)


def signing_key_ensure_active() -> SigningKey:
    """The key that signs now, generating the very first one if there is none."""
    key = selectors.signing_key_active()
    if key is not None:
        return key
    with transaction.atomic():
        _lock_signing_keys()
        return selectors.signing_key_active() or _new_signing_key()


@transaction.atomic
def signing_key_rotate() -> SigningKey:
    """A new key signs from now on. The old one stays published until every token it
    signed has expired (plus a margin for clock skew); keys past that are deleted."""
    _lock_signing_keys()
    now = timezone.now()
    last_token_expiry = now + timedelta(seconds=settings.ACCESS_TOKEN_LIFETIME + settings.SIGNING_KEY_RETIREMENT_MARGIN)
    SigningKey.objects.filter(retired_at__isnull=True).update(retired_at=now, published_until=last_token_expiry)
    SigningKey.objects.filter(published_until__lte=now).delete()
    return _new_signing_key()
