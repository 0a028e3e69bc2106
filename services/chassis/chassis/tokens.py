"""Access-token verification: RS256 only, signature checked against auth's JWKS (fetched
over HTTP and cached), with exp, iat, iss, aud and sub required.

The key set is refreshed when it is older than max_age, or when a token names a kid we
do not know (at most once per min_refresh_interval, so garbage kids cannot make us hammer
auth). When auth is unreachable the last good key set keeps serving.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from functools import lru_cache

import jwt
import requests

logger = logging.getLogger(__name__)

ALLOWED_ALGORITHMS = ["RS256"]
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]
_KEY_ID = re.compile(r"[A-Za-z0-9_.=-]{1,128}")


class InvalidToken(Exception):
    """The token is not one we accept; the message says why, in words fit for a client."""


class JWKSCache:
    def __init__(
        self,
        url: str,
        *,
        timeout: float = 2.0,
        max_age: float = 300.0,
        min_refresh_interval: float = 10.0,
    ):
        self.url = url
        self.timeout = timeout
        self.max_age = max_age
        self.min_refresh_interval = min_refresh_interval
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._attempted_at = float("-inf")
        self._lock = threading.Lock()

    def key_for(self, kid: str) -> jwt.PyJWK:
        now = time.monotonic()
        if now - self._fetched_at > self.max_age or kid not in self._keys:
            self._refresh(now)
        try:
            return self._keys[kid]
        except KeyError:
            raise InvalidToken("Token signed with an unknown key.") from None

    def _refresh(self, now: float) -> None:
        with self._lock:
            if now - self._attempted_at < self.min_refresh_interval:
                return
            self._attempted_at = now
            try:
                response = requests.get(self.url, timeout=self.timeout)
                response.raise_for_status()
                key_set = jwt.PyJWKSet.from_dict(response.json())
            except (requests.RequestException, ValueError, jwt.PyJWTError) as exc:
                logger.warning("JWKS refresh failed; keeping the last good key set", extra={"error": str(exc)})
                return
            self._keys = {key.key_id: key for key in key_set.keys if key.key_id}
            self._fetched_at = now


def verify_access_token(token: str, *, jwks: JWKSCache, issuer: str, audience: str) -> dict:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("Malformed token.") from None
    if header.get("alg") not in ALLOWED_ALGORITHMS:
        raise InvalidToken("Token algorithm not allowed.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("Token has no key id.")
    if not _KEY_ID.fullmatch(kid):  # keys are named in base64url; anything else names none of them
        raise InvalidToken("Token signed with an unknown key.")
    key = jwks.key_for(kid)
    try:
        return jwt.decode(
            token,
            key=key.key,
            algorithms=ALLOWED_ALGORITHMS,
            issuer=issuer,
            audience=audience,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("Token has expired.") from None
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(f"Token is missing the {exc.claim} claim.") from None
    except jwt.InvalidIssuerError:
        raise InvalidToken("Token issuer not accepted.") from None
    except jwt.InvalidAudienceError:
        raise InvalidToken("Token audience not accepted.") from None
    except jwt.PyJWTError:
        raise InvalidToken("Token signature or claims are invalid.") from None


@lru_cache(maxsize=1)
def default_jwks() -> JWKSCache:
    from django.conf import settings

    return JWKSCache(settings.AUTH_JWKS_URL)


def verify(token: str) -> dict:
    """Verify with this service's settings (issuer, audience, JWKS URL)."""
    from django.conf import settings

    return verify_access_token(token, jwks=default_jwks(), issuer=settings.JWT_ISSUER, audience=settings.JWT_AUDIENCE)
