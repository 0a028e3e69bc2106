"""GET /auth/.well-known/jwks.json: the public keys every service verifies tokens with."""

import pytest

from chassis.tokens import JWKSCache, verify_access_token

JWKS_PATH = "/auth/.well-known/jwks.json"


@pytest.mark.django_db
def test_jwks_serves_the_active_public_key_only(api):
    response = api.get(JWKS_PATH, HTTP_AUTHORIZATION="Bearer garbage")

    assert response.status_code == 200
    [key] = response.json()["keys"]
    assert key["kty"] == "RSA"
    assert key["use"] == "sig"
    assert key["alg"] == "RS256"
    assert key["kid"] and key["n"] and key["e"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key), "no private key material"
    assert b"PRIVATE" not in response.content


@pytest.mark.django_db
def test_jwks_may_be_cached_for_a_few_minutes(api):
    cache_control = api.get(JWKS_PATH)["Cache-Control"]

    assert "max-age=300" in cache_control
    assert "public" in cache_control


def test_a_service_verifies_auths_tokens_with_the_chassis_over_real_http(http_server, account, login, settings):
    """The same path every other service takes: JWKSCache fetching the JWKS from auth."""
    access = login(account)["access"]
    jwks = JWKSCache(f"{http_server}{JWKS_PATH}")

    claims = verify_access_token(access, jwks=jwks, issuer=settings.JWT_ISSUER, audience=settings.JWT_AUDIENCE)

    assert claims["sub"] == account.id
