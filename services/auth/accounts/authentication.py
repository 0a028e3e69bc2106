"""Bearer-token authentication inside auth itself: the same chassis verification every
service runs, but with the public keys read from auth's own database instead of fetched
over HTTP from itself."""

from __future__ import annotations

import jwt
from django.conf import settings

from accounts import selectors
from chassis.authentication import JWTAuthentication
from chassis.tokens import InvalidToken, verify_access_token


class LocalKeySource:
    """Auth's published keys, offered like chassis.tokens.JWKSCache offers the fetched ones."""

    def key_for(self, kid: str) -> jwt.PyJWK:
        key = selectors.signing_key_published_get(kid=kid)
        if key is None:
            raise InvalidToken("Token signed with an unknown key.")
        return jwt.PyJWK.from_dict(key.public_jwk)


def verify_local(token: str) -> dict:
    return verify_access_token(token, jwks=LocalKeySource(), issuer=settings.JWT_ISSUER, audience=settings.JWT_AUDIENCE)


class LocalJWTAuthentication(JWTAuthentication):
    def verify_token(self, token: str) -> dict:
        return verify_local(token)
