"""POST /auth/token/refresh/: rotation on every use, and reuse revoking the whole login."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RefreshToken, User

pytestmark = pytest.mark.django_db


def refresh(api, token: str):
    return api.post("/auth/token/refresh/", {"refresh": token}, format="json")


def test_refresh_answers_a_new_pair_and_rotates(api, account, login):
    first = login(account)

    response = refresh(api, first["refresh"])

    assert response.status_code == 200
    second = response.json()
    assert set(second) == {"access", "refresh", "token_type", "expires_in"}
    assert second["refresh"] != first["refresh"]
    assert second["access"] != first["access"]
    assert api.get("/auth/me/", HTTP_AUTHORIZATION=f"Bearer {second['access']}").status_code == 200


def test_refresh_tokens_are_stored_only_as_sha256_hashes(account, login):
    token = login(account)["refresh"]

    stored = RefreshToken.objects.get()
    assert stored.token_hash != token
    assert len(stored.token_hash) == 64
    assert not RefreshToken.objects.filter(token_hash__contains=token).exists()


def test_reusing_a_rotated_token_is_refused_and_revokes_the_family(api, account, login):
    first = login(account)["refresh"]
    second = refresh(api, first).json()["refresh"]
    other_login = login(account)["refresh"]

    reuse = refresh(api, first)

    assert reuse.status_code == 401
    assert "already used" in reuse.json()["detail"]
    assert refresh(api, second).status_code == 401, "the thief's or the owner's newest token dies too"
    assert refresh(api, other_login).status_code == 200, "another login is not affected"


def test_expired_refresh_token_is_refused(api, account, login):
    token = login(account)["refresh"]
    RefreshToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = refresh(api, token)

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_refresh_lifetime_is_about_a_week(account, login):
    login(account)

    lifetime = RefreshToken.objects.get().expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)


def test_disabled_users_cannot_refresh(api, account, login):
    token = login(account)["refresh"]
    User.objects.filter(email=account.email).update(is_active=False)

    assert refresh(api, token).status_code == 401


@pytest.mark.parametrize("token", ["made-up-token", "x" * 256])
def test_unknown_refresh_token_is_refused(api, token):
    response = refresh(api, token)

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


@pytest.mark.parametrize("body", [{}, {"refresh": ""}, {"refresh": None}, {"refresh": "x" * 257}, {"refresh": 10**30}])
def test_missing_or_malformed_refresh_field_is_named(api, body):
    response = api.post("/auth/token/refresh/", body, format="json")

    assert response.status_code == 400
    assert "refresh" in response.json()["fields"]
