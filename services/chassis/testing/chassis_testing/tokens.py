"""A token issuer that signs RS256 tokens like auth does and serves its JWKS over real HTTP
on loopback, so a service's own tests exercise the real verification path without running
the auth service; and the forged tokens every service must refuse."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class TokenIssuer:
    def __init__(self, *, issuer: str = "ecomlab-auth", audience: str = "ecomlab"):
        self.issuer = issuer
        self.audience = audience
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self._server: ThreadingHTTPServer | None = None

    @property
    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def token(
        self,
        sub: str | None = None,
        *,
        roles=("customer",),
        email: str | None = None,
        lifetime: int = 900,
        headers: dict | None = None,
        **claims,
    ) -> str:
        now = int(time.time())
        sub = sub or str(uuid.uuid4())
        payload = {
            "sub": sub,
            "email": email or f"{sub[:8]}@example.test",
            "name": "Test User",
            "roles": list(roles),
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
        }
        payload.update(claims)
        payload = {key: value for key, value in payload.items() if value is not None}
        return jwt.encode(payload, self.private_key, algorithm="RS256", headers={"kid": self.kid, **(headers or {})})

    def serve(self) -> str:
        """Serve the JWKS on a free loopback port; returns its URL."""
        jwks = json.dumps(self.jwks).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(jwks)))
                self.end_headers()
                self.wfile.write(jwks)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/auth/.well-known/jwks.json"

    def close(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged_tokens(issuer: TokenIssuer) -> dict[str, str]:
    """Tokens every service must refuse with 401, by the attack or mistake they stand for."""

    def unsigned(header: dict, payload: dict, signature: bytes = b"") -> str:
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
        return f"{signing_input}.{_b64(signature)}"

    valid_claims = jwt.decode(issuer.token(), options={"verify_signature": False})
    public_pem = issuer.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    hs_header = {"alg": "HS256", "typ": "JWT", "kid": issuer.kid}
    hs_input = f"{_b64(json.dumps(hs_header).encode())}.{_b64(json.dumps(valid_claims).encode())}"
    stranger = TokenIssuer(issuer=issuer.issuer, audience=issuer.audience)
    stranger.kid = issuer.kid  # same kid, different private key: the signature must fail
    return {
        "alg_none": unsigned({"alg": "none", "typ": "JWT", "kid": issuer.kid}, valid_claims),
        "hs256_signed_with_public_key": hs_input
        + "."
        + _b64(hmac.new(public_pem, hs_input.encode(), hashlib.sha256).digest()),
        "expired": issuer.token(lifetime=-60),
        "wrong_issuer": issuer.token(iss="someone-else"),
        "wrong_audience": issuer.token(aud="another-system"),
        "missing_exp": issuer.token(exp=None),
        "unknown_kid": issuer.token(headers={"kid": "no-such-key"}),
        "kid_with_nul": issuer.token(headers={"kid": f"{issuer.kid}\x00"}),
        "signed_by_another_key": stranger.token(),
        "garbage": "not-a.jwt.at-all",
    }


FORGED_TOKEN_KINDS = (
    "alg_none",
    "hs256_signed_with_public_key",
    "expired",
    "wrong_issuer",
    "wrong_audience",
    "missing_exp",
    "unknown_kid",
    "kid_with_nul",
    "signed_by_another_key",
    "garbage",
)
