"""POST /auth/token/: logging in, and refusing without telling which part was wrong."""

import jwt
import pytest

from accounts.models import LoginFailure, User
from chassis.tokens import verify_access_token

pytestmark = pytest.mark.django_db


def test_login_answers_a_bearer_token_pair(api, account, login):
    body = login(account)

    assert set(body) == {"access", "refresh", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900


def test_login_email_is_case_insensitive(api, account):
    response = api.post("/auth/token/", {"email": account.email.upper(), "password": account.password}, format="json")

    assert response.status_code == 200


def test_access_token_verifies_with_the_chassis_against_the_served_jwks(account, login, served_keys, settings):
    access = login(account)["access"]

    claims = verify_access_token(access, jwks=served_keys(), issuer=settings.JWT_ISSUER, audience=settings.JWT_AUDIENCE)

    assert claims["iss"] == "ecomlab-auth"
    assert claims["aud"] == "ecomlab"
    assert claims["sub"] == account.id
    assert claims["email"] == account.email
    assert claims["name"] == account.name
    assert claims["roles"] == ["customer"]
    assert claims["exp"] - claims["iat"] == 900
    assert claims["jti"]
    header = jwt.get_unverified_header(access)
    assert header["alg"] == "RS256"
    assert header["kid"] in served_keys().keys


def test_admins_get_the_admin_role_in_their_token(make_account, login):
    admin = make_account(is_admin=True)

    claims = jwt.decode(login(admin)["access"], options={"verify_signature": False})

    assert claims["roles"] == ["admin", "customer"]


def test_access_token_lifetime_follows_the_setting(account, login, settings):
    settings.ACCESS_TOKEN_LIFETIME = 60

    body = login(account)
    claims = jwt.decode(body["access"], options={"verify_signature": False})

    assert body["expires_in"] == 60
    assert claims["exp"] - claims["iat"] == 60


def test_wrong_password_and_unknown_email_get_the_same_answer(api, account):
    def log_in(email, password):
        return api.post("/auth/token/", {"email": email, "password": password}, format="json")

    wrong_password = log_in(account.email, "not-the-password")
    unknown_email = log_in("nobody@example.test", account.password)

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["error"] == "not_authenticated"


def test_disabled_users_cannot_log_in(api, account):
    User.objects.filter(email=account.email).update(is_active=False)

    response = api.post("/auth/token/", {"email": account.email, "password": account.password}, format="json")

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": "x"}, "email"),
        ({"email": "a@example.test"}, "password"),
        ({"email": "a@example.test", "password": []}, "password"),
    ],
)
def test_missing_or_mistyped_credentials_are_named(api, body, field):
    response = api.post("/auth/token/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_number_as_a_password_is_refused_without_counting_a_failed_login(api, account):
    response = api.post("/auth/token/", {"email": account.email, "password": 12345678}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {"password": ["Not a valid string."]}
    assert not LoginFailure.objects.exists()


def test_a_stray_authorization_header_does_not_block_login(api, account):
    response = api.post(
        "/auth/token/",
        {"email": account.email, "password": account.password},
        format="json",
        HTTP_AUTHORIZATION="Bearer garbage",
    )

    assert response.status_code == 200


def test_json_nested_too_deeply_is_400_without_logging_in(api):
    response = api.post("/auth/token/", "[" * 1000 + "]" * 1000, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"
