"""POST /auth/token/ after repeated failures for one email: a growing wait, 429 with
Retry-After, the same for an email no account has, and a success that clears it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import LoginFailure
from accounts.services.login_backoff import FREE_FAILURES

pytestmark = pytest.mark.django_db

URL = "/auth/token/"


def attempt(api, email: str, password: str):
    return api.post(URL, {"email": email, "password": password}, format="json")


def unlock() -> None:
    LoginFailure.objects.update(locked_until=timezone.now() - timedelta(seconds=1))


def test_after_a_few_failures_even_the_right_password_waits(api, account):
    for _ in range(FREE_FAILURES):
        assert attempt(api, account.email, "wrong").status_code == 401

    locked = attempt(api, account.email, account.password)

    assert locked.status_code == 429
    assert locked.json()["error"] == "throttled"
    assert locked.json()["detail"] == "Too many failed logins for this email; retry in 1 s."
    assert locked.headers["Retry-After"] == "1"


def test_each_further_failure_doubles_the_wait(api, account):
    for _ in range(FREE_FAILURES):
        attempt(api, account.email, "wrong")
    waits = []
    for _ in range(3):
        unlock()
        attempt(api, account.email, "wrong")
        waits.append(int(attempt(api, account.email, "wrong").headers["Retry-After"]))

    assert waits == [2, 4, 8]


def test_an_email_no_account_has_gets_the_same_answers(api):
    answers = [attempt(api, "nobody@ecomlab.test", "guess") for _ in range(FREE_FAILURES + 1)]

    assert [answer.status_code for answer in answers] == [401] * FREE_FAILURES + [429]
    assert answers[-1].json()["detail"] == "Too many failed logins for this email; retry in 1 s."


def test_a_success_once_the_wait_is_over_starts_afresh(api, account):
    for _ in range(FREE_FAILURES):
        attempt(api, account.email, "wrong")
    unlock()

    assert attempt(api, account.email, account.password).status_code == 200
    assert not LoginFailure.objects.exists()
    assert attempt(api, account.email, "wrong").status_code == 401


def test_the_email_is_matched_whatever_its_case(api, account):
    for _ in range(FREE_FAILURES):
        attempt(api, account.email.upper(), "wrong")

    assert attempt(api, account.email, account.password).status_code == 429


def test_failures_that_no_longer_count_are_pruned_by_later_failures(api, account):
    long_ago = timezone.now() - timedelta(days=2)
    LoginFailure.objects.bulk_create(
        LoginFailure(email_digest=f"{n:064x}", failures=1, last_failed_at=long_ago) for n in range(150)
    )
    still_locked = LoginFailure.objects.create(
        email_digest="f" * 64, failures=9, last_failed_at=long_ago, locked_until=timezone.now() + timedelta(minutes=5)
    )

    attempt(api, account.email, "wrong")
    after_one = LoginFailure.objects.count()
    attempt(api, account.email, "wrong")

    assert after_one == 151 + 1 - 100  # one bounded batch per failure
    assert set(LoginFailure.objects.values_list("email_digest", flat=True)) == {
        still_locked.email_digest,
        LoginFailure.objects.get(failures=2).email_digest,
    }
