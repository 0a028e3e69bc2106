"""Token verification rules and the JWKS cache, against a real JWKS served over HTTP."""

import pytest

from chassis.tokens import InvalidToken, JWKSCache, verify_access_token
from chassis_testing.tokens import TokenIssuer, forged_tokens


@pytest.fixture
def issuer():
    issuer = TokenIssuer()
    issuer.url = issuer.serve()
    yield issuer
    issuer.close()


def verify(token, jwks, issuer):
    return verify_access_token(token, jwks=jwks, issuer=issuer.issuer, audience=issuer.audience)


def test_a_valid_token_yields_its_claims(issuer):
    claims = verify(issuer.token("user-1", roles=("admin",)), JWKSCache(issuer.url), issuer)

    assert claims["sub"] == "user-1"
    assert claims["roles"] == ["admin"]


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("alg_none", "algorithm not allowed"),
        ("hs256_signed_with_public_key", "algorithm not allowed"),
        ("expired", "expired"),
        ("wrong_issuer", "issuer"),
        ("wrong_audience", "audience"),
        ("missing_exp", "exp"),
        ("unknown_kid", "unknown key"),
        ("signed_by_another_key", "invalid"),
        ("garbage", "Malformed"),
    ],
)
def test_each_broken_token_is_refused_with_its_reason(issuer, kind, reason):
    with pytest.raises(InvalidToken, match=reason):
        verify(forged_tokens(issuer)[kind], JWKSCache(issuer.url), issuer)


def test_an_unknown_kid_refreshes_the_key_set_once_then_backs_off(issuer):
    jwks = JWKSCache(issuer.url, min_refresh_interval=60)
    verify(issuer.token(), jwks, issuer)
    rotated = TokenIssuer()
    rotated.url = rotated.serve()
    jwks.url = rotated.url  # auth rotated its key: new kid, served at the same place

    with pytest.raises(InvalidToken, match="unknown key"):
        verify(rotated.token(), jwks, issuer)  # refresh is rate-limited: too soon after the first
    jwks.min_refresh_interval = 0
    assert verify(rotated.token(), jwks, issuer)["iss"] == issuer.issuer
    rotated.close()


def test_the_last_good_key_set_keeps_serving_while_auth_is_down(issuer):
    jwks = JWKSCache(issuer.url, max_age=0, min_refresh_interval=0)
    verify(issuer.token(), jwks, issuer)
    issuer.close()  # auth is now unreachable; every call tries a refresh and fails

    assert verify(issuer.token("still-works"), jwks, issuer)["sub"] == "still-works"
