"""Fixtures of auth's tests: registered users, logging in over the API, and a token
issuer that signs with auth's own active key."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from accounts import services
from chassis_testing.tokens import TokenIssuer

PASSWORD = "correct-horse-battery-42"


@dataclass
class Account:
    id: str
    email: str
    password: str
    name: str


@pytest.fixture
def make_account(db):
    def make(*, is_admin: bool = False, password: str = PASSWORD) -> Account:
        email = f"user-{uuid.uuid4().hex[:10]}@example.test"
        user, _ = services.user_ensure(email=email, password=password, name="Grace Hopper", is_admin=is_admin)
        return Account(id=str(user.id), email=email, password=password, name=user.name)

    return make


@pytest.fixture
def account(make_account) -> Account:
    return make_account()


@pytest.fixture
def login(api):
    """POST /auth/token/ and return the JSON body (asserting it worked)."""

    def log_in(account: Account) -> dict:
        response = api.post("/auth/token/", {"email": account.email, "password": account.password}, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    return log_in


class ServedKeySet:
    """A chassis JWKSCache stand-in holding one JWKS document as served by auth."""

    def __init__(self, jwks: dict):
        self.keys = {key.key_id: key for key in jwt.PyJWKSet.from_dict(jwks).keys}

    def key_for(self, kid: str) -> jwt.PyJWK:
        from chassis.tokens import InvalidToken

        if kid not in self.keys:
            raise InvalidToken("Token signed with an unknown key.")
        return self.keys[kid]


@pytest.fixture
def served_keys(api):
    def fetch() -> ServedKeySet:
        response = api.get("/auth/.well-known/jwks.json")
        assert response.status_code == 200
        return ServedKeySet(response.json())

    return fetch


class AuthKeyIssuer(TokenIssuer):
    """chassis_testing.tokens.TokenIssuer signing with auth's own active key, for one real user."""

    def __init__(self, *, private_key_pem: str, kid: str, user_id: str):
        super().__init__()
        self.private_key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        self.kid = kid
        self.user_id = user_id

    def token(self, sub: str | None = None, **claims) -> str:
        return super().token(sub or self.user_id, **claims)


@pytest.fixture
def auth_key_issuer(account) -> AuthKeyIssuer:
    key = services.signing_key_ensure_active()
    return AuthKeyIssuer(private_key_pem=key.private_key_pem, kid=key.kid, user_id=account.id)


@pytest.fixture
def http_server(transactional_db):
    """auth served over real HTTP on loopback, by Django's threaded WSGI server; yields its
    base URL. (pytest-django's live_server wants static files, which auth does not serve.)"""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
