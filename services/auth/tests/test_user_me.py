"""GET /auth/me/: the caller's own account, for a token auth itself verifies."""

import jwt
import pytest

from accounts.models import User
from chassis_testing.contract_tests import ServiceContract

pytestmark = pytest.mark.django_db


class TestAuthIsAnEcomlabService(ServiceContract):
    """Forged tokens are signed for a real user with auth's real key and kid where the
    forgery allows, so a 401 means verification refused them, not the user lookup."""

    service = "auth"
    has_lists = False
    protected = ("get", "/auth/me/")

    @pytest.fixture
    def forger(self, auth_key_issuer):
        return auth_key_issuer


def test_me_answers_the_callers_account(api, account, login):
    access = login(account)["access"]

    response = api.get("/auth/me/", HTTP_AUTHORIZATION=f"Bearer {access}")

    assert response.status_code == 200
    assert response.json() == {"id": account.id, "email": account.email, "name": account.name, "roles": ["customer"]}


def test_a_token_signed_with_auths_key_is_accepted(api, auth_key_issuer, account):
    response = api.get("/auth/me/", HTTP_AUTHORIZATION=f"Bearer {auth_key_issuer.token()}")

    assert response.status_code == 200
    assert response.json()["id"] == account.id


def token_without(issuer, claim: str) -> str:
    """A token signed with auth's real key that lacks one claim."""
    claims = jwt.decode(issuer.token(), options={"verify_signature": False})
    del claims[claim]
    return jwt.encode(claims, issuer.private_key, algorithm="RS256", headers={"kid": issuer.kid})


@pytest.mark.parametrize("claim", ["sub", "iss", "aud", "iat", "exp"])
def test_tokens_missing_a_required_claim_are_refused(api, auth_key_issuer, claim):
    response = api.get("/auth/me/", HTTP_AUTHORIZATION=f"Bearer {token_without(auth_key_issuer, claim)}")

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


@pytest.mark.parametrize("header", ["", "Bearer", "Basic dXNlcjpwYXNz", "Bearer a b", "Token abc"])
def test_missing_or_malformed_authorization_is_401(api, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = api.get("/auth/me/", **extra)

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_a_disabled_users_still_valid_token_is_refused(api, account, login):
    access = login(account)["access"]
    User.objects.filter(email=account.email).update(is_active=False)

    response = api.get("/auth/me/", HTTP_AUTHORIZATION=f"Bearer {access}")

    assert response.status_code == 401


def test_schema_is_served(api):
    response = api.get("/auth/schema/")

    assert response.status_code == 200
    assert b"/auth/register/" in response.content
