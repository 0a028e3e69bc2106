"""Idempotency-Key on POST /orders/: Stripe's semantics, scoped per customer."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from orders.idempotent_requests import request_fingerprint
from orders.models import IdempotencyKey, Order
from tests.catalog_double import closed_port_url
from tests.conftest import new_key, order_body

pytestmark = pytest.mark.django_db


def test_the_same_key_and_body_replays_the_first_answer(place_order, customer, mug, catalog):
    key = new_key()
    first = place_order(customer, order_body((mug, 2)), HTTP_IDEMPOTENCY_KEY=key)

    again = place_order(customer, order_body((mug, 2)), HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Order.objects.count() == 1 and catalog.requests == 1


def test_with_the_no_idempotency_key_switch_a_retry_is_a_second_order(settings, place_order, customer, mug):
    settings.UNSAFE_SWITCHES = frozenset({"no-idempotency-key"})
    key = new_key()
    first = place_order(customer, order_body((mug, 2)), HTTP_IDEMPOTENCY_KEY=key)

    again = place_order(customer, order_body((mug, 2)), HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] != again.json()["id"]
    assert Order.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_the_same_key_with_another_body_is_422(place_order, customer, mug):
    key = new_key()
    place_order(customer, order_body((mug, 2)), HTTP_IDEMPOTENCY_KEY=key)

    response = place_order(customer, order_body((mug, 3)), HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 422
    assert response.json()["error"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_a_key_whose_first_request_still_runs_is_409(place_order, customer, mug):
    key = new_key()
    body = order_body((mug, 2))
    fingerprint = request_fingerprint(method="POST", path="/orders/", body=body)
    IdempotencyKey.objects.create(customer_id=customer.id, key=key, fingerprint=fingerprint, state="in_progress")

    response = place_order(customer, body, HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 409
    assert response.json()["error"] == "idempotency_key_in_use"
    assert not Order.objects.exists()


def test_the_fingerprint_ignores_key_order_and_spacing(place_order, customer, mug):
    key = new_key()
    place_order(
        customer,
        {"payment_method": "tok_visa", "items": [{"quantity": 1, "product_id": mug}]},
        HTTP_IDEMPOTENCY_KEY=key,
    )

    again = place_order(customer, order_body((mug, 1)), HTTP_IDEMPOTENCY_KEY=key)

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"


def test_keys_are_scoped_per_customer(place_order, customer, other_customer, mug):
    key = new_key()
    mine = place_order(customer, order_body((mug, 1)), HTTP_IDEMPOTENCY_KEY=key)

    theirs = place_order(other_customer, order_body((mug, 5)), HTTP_IDEMPOTENCY_KEY=key)

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_refused_request_releases_its_key(place_order, customer, mug):
    key = new_key()
    refused = place_order(customer, order_body((mug, 1), (999, 1)), HTTP_IDEMPOTENCY_KEY=key)

    retried = place_order(customer, order_body((mug, 1)), HTTP_IDEMPOTENCY_KEY=key)

    assert refused.status_code == 400 and retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers


def test_a_catalog_outage_releases_its_key(settings, place_order, customer, catalog, mug):
    key = new_key()
    working_catalog = settings.CATALOG_URL
    settings.CATALOG_URL = closed_port_url()
    assert place_order(customer, order_body((mug, 1)), HTTP_IDEMPOTENCY_KEY=key).status_code == 503
    assert not IdempotencyKey.objects.exists()

    settings.CATALOG_URL = working_catalog
    assert place_order(customer, order_body((mug, 1)), HTTP_IDEMPOTENCY_KEY=key).status_code == 201


def test_a_key_expires_after_24_hours(place_order, customer, mug):
    key = new_key()
    place_order(customer, order_body((mug, 1)), HTTP_IDEMPOTENCY_KEY=key)
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))

    response = place_order(customer, order_body((mug, 4)), HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 201 and Order.objects.count() == 2


def test_a_claim_abandoned_by_a_dead_process_can_be_taken_over(place_order, customer, mug):
    key = new_key()
    IdempotencyKey.objects.create(
        customer_id=customer.id,
        key=key,
        fingerprint="0" * 64,
        state="in_progress",
        created_at=timezone.now() - timedelta(minutes=5),
    )

    assert place_order(customer, order_body((mug, 1)), HTTP_IDEMPOTENCY_KEY=key).status_code == 201


@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
def test_bad_keys_are_refused_naming_the_header(place_order, customer, mug, key):
    response = place_order(customer, order_body((mug, 1)), HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert not Order.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_place_one_order(customer, catalog, mug):
    """Two clients race with one key while the catalog is slow: the loser sees the claim."""
    catalog.delay = 0.5
    key = new_key()
    statuses = []

    def place():
        from rest_framework.test import APIClient

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {customer.token}")
        try:
            statuses.append(
                client.post("/orders/", order_body((mug, 1)), format="json", HTTP_IDEMPOTENCY_KEY=key).status_code
            )
        finally:
            connection.close()

    racers = [threading.Thread(target=place) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(10)

    assert sorted(statuses) == [201, 409]
    assert Order.objects.count() == 1
