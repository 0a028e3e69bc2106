"""Pytest fixtures every service's tests share: a real JWKS endpoint with a token issuer,
and API clients acting as a customer, another customer, or an admin. Also the event
contracts the suite validates against: `event_contracts_dir` in the service's pytest.ini."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest

from chassis_testing.tokens import TokenIssuer

# Loaded with -p before Django settings are read; production always sets a real key.
os.environ.setdefault("DJANGO_SECRET_KEY", "for-tests-only")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("event_contracts_dir", "The event contracts (EVENT_CONTRACTS_DIR), relative to this ini file.")


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    # First, because pytest-django reads the settings in this same hook; set in the
    # environment, so the processes a test starts find the contracts too.
    configured = early_config.getini("event_contracts_dir")
    if configured and early_config.inipath:
        os.environ.setdefault("EVENT_CONTRACTS_DIR", str((early_config.inipath.parent / configured).resolve()))


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
