"""`manage.py rotate_signing_key`: new tokens use the new key, old tokens stay valid until
they expire, and a retired key leaves the JWKS once none of its tokens can be alive."""

from datetime import timedelta

import jwt
import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import SigningKey
from chassis.tokens import InvalidToken, verify_access_token

pytestmark = pytest.mark.django_db


def kid_of(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def verify(token, keys, settings):
    return verify_access_token(token, jwks=keys, issuer=settings.JWT_ISSUER, audience=settings.JWT_AUDIENCE)


def me(api, token):
    return api.get("/auth/me/", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_rotation_keeps_old_tokens_valid_and_serves_both_keys(api, account, login, served_keys, settings, capsys):
    old_token = login(account)["access"]

    call_command("rotate_signing_key")
    new_token = login(account)["access"]

    assert kid_of(new_token) != kid_of(old_token)
    assert kid_of(new_token) in capsys.readouterr().out
    keys = served_keys()
    assert set(keys.keys) == {kid_of(old_token), kid_of(new_token)}
    assert verify(old_token, keys, settings)["sub"] == account.id
    assert verify(new_token, keys, settings)["sub"] == account.id
    assert me(api, old_token).status_code == 200
    assert me(api, new_token).status_code == 200


def test_a_retired_key_is_published_for_the_token_lifetime_plus_a_margin(settings):
    settings.ACCESS_TOKEN_LIFETIME = 900
    settings.SIGNING_KEY_RETIREMENT_MARGIN = 60
    call_command("rotate_signing_key")

    call_command("rotate_signing_key")

    retired = SigningKey.objects.get(retired_at__isnull=False)
    assert retired.published_until - retired.retired_at == timedelta(seconds=960)
    assert SigningKey.objects.filter(retired_at__isnull=True).count() == 1


def test_a_retired_key_past_its_window_leaves_the_jwks(api, account, login, served_keys, settings):
    old_token = login(account)["access"]
    call_command("rotate_signing_key")
    SigningKey.objects.filter(kid=kid_of(old_token)).update(published_until=timezone.now() - timedelta(seconds=1))

    keys = served_keys()

    assert kid_of(old_token) not in keys.keys
    with pytest.raises(InvalidToken):
        verify(old_token, keys, settings)
    assert me(api, old_token).status_code == 401


def test_rotation_deletes_keys_whose_window_has_passed(account, login):
    old_kid = kid_of(login(account)["access"])
    call_command("rotate_signing_key")
    SigningKey.objects.filter(kid=old_kid).update(published_until=timezone.now() - timedelta(seconds=1))

    call_command("rotate_signing_key")

    assert not SigningKey.objects.filter(kid=old_kid).exists()
    assert SigningKey.objects.count() == 2
