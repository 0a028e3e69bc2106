"""`manage.py ensure_user`: the idempotent way to seed users, and the only way to make an admin."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def ensure(*extra, email="Boss@Example.test", password=PASSWORD, name="Ada Admin"):
    call_command("ensure_user", "--email", email, "--password", password, "--name", name, *extra)


def test_creates_an_admin_who_can_log_in(api, capsys):
    ensure("--admin")

    assert "Created boss@example.test with roles admin, customer" in capsys.readouterr().out
    response = api.post("/auth/token/", {"email": "boss@example.test", "password": PASSWORD}, format="json")
    assert response.status_code == 200


def test_running_again_updates_instead_of_duplicating(capsys):
    ensure("--admin")
    ensure(name="Ada Customer", password="another-strong-pass-7")

    user = User.objects.get()
    assert "Updated" in capsys.readouterr().out
    assert user.name == "Ada Customer"
    assert user.is_admin is False
    assert user.check_password("another-strong-pass-7")


def test_reactivates_a_disabled_user():
    ensure()
    User.objects.update(is_active=False)

    ensure()

    assert User.objects.get().is_active is True


@pytest.mark.parametrize(
    ("options", "flag"),
    [({"password": "123"}, "--password"), ({"email": "nope"}, "--email"), ({"name": ""}, "--name")],
)
def test_bad_values_are_refused_naming_the_option(options, flag):
    with pytest.raises(CommandError, match=flag):
        ensure(**options)

    assert not User.objects.exists()
