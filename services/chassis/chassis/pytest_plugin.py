"""Pytest fixtures every service's tests share: a real JWKS endpoint with a token issuer,
and API clients acting as a customer, another customer, or an admin."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest

from chassis.testing import TokenIssuer

# Loaded with -p before Django settings are read; production always sets a real key.
os.environ.setdefault("DJANGO_SECRET_KEY", "for-tests-only")


@dataclass
class Caller:
    id: str
    email: str
    token: str


@pytest.fixture(scope="session")
def token_issuer():
    issuer = TokenIssuer()
    issuer.url = issuer.serve()
    yield issuer
    issuer.close()


@pytest.fixture(autouse=True)
def _verify_with_test_issuer(settings, token_issuer):
    """Point this service's token verification at the test issuer's JWKS."""
    from chassis.tokens import default_jwks

    settings.AUTH_JWKS_URL = token_issuer.url
    default_jwks.cache_clear()
    yield
    default_jwks.cache_clear()


def _caller(token_issuer, roles) -> Caller:
    user_id = str(uuid.uuid4())
    email = f"{user_id[:8]}@example.test"
    return Caller(id=user_id, email=email, token=token_issuer.token(user_id, roles=roles, email=email))


@pytest.fixture
def customer(token_issuer) -> Caller:
    return _caller(token_issuer, ("customer",))


@pytest.fixture
def other_customer(token_issuer) -> Caller:
    return _caller(token_issuer, ("customer",))


@pytest.fixture
def admin(token_issuer) -> Caller:
    return _caller(token_issuer, ("admin", "customer"))


@pytest.fixture
def api():
    """An HTTP client for this service; `api.as_(caller)` sends the caller's bearer token."""
    from rest_framework.test import APIClient

    class Client(APIClient):
        def as_(self, caller: Caller | None):
            self.credentials(**({"HTTP_AUTHORIZATION": f"Bearer {caller.token}"} if caller else {}))
            return self

    return Client()
