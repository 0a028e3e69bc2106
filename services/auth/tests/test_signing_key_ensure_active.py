"""The first signing key is generated on first need, exactly once, however many workers
ask for it at the same moment."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from accounts import services
from accounts.models import SigningKey

WORKERS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_requests_create_exactly_one_active_key():
    start = threading.Barrier(WORKERS)
    kids: list[str] = []
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait(timeout=10)
            kids.append(services.signing_key_ensure_active().kid)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(kids) == WORKERS
    assert len(set(kids)) == 1
    assert SigningKey.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_key():
    key = services.signing_key_ensure_active()

    with pytest.raises(IntegrityError), transaction.atomic():
        SigningKey.objects.create(kid="second", private_key_pem="-", public_jwk={})

    assert services.signing_key_ensure_active() == key
