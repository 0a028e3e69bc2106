"""When the catalog cannot answer, placing an order fails fast with 503 and reads go on."""

import time

import pytest

from chassis.messaging.models import OutboxMessage
from orders.models import Order
from tests.catalog_double import closed_port_url
from tests.conftest import order_body

pytestmark = pytest.mark.django_db


def _assert_catalog_unavailable(response):
    assert response.status_code == 503
    assert response.json()["error"] == "catalog_unavailable"
    assert "catalog" in response.json()["detail"]
    assert response["Retry-After"] == "5"  # unavailable for now, so the client is told when to retry


def test_catalog_down_answers_503_fast_and_reads_keep_working(settings, place_order, api, customer, make_order):
    existing = make_order(customer)
    settings.CATALOG_URL = closed_port_url()

    started = time.monotonic()
    response = place_order(customer, order_body((101, 1)))

    assert time.monotonic() - started < 3
    _assert_catalog_unavailable(response)
    assert Order.objects.count() == 1 and OutboxMessage.objects.count() == 1
    assert api.as_(customer).get("/orders/").status_code == 200
    assert api.as_(customer).get(f"/orders/{existing.id}/").status_code == 200


def test_catalog_errors_answer_503(place_order, customer, catalog, mug):
    catalog.failing = True

    _assert_catalog_unavailable(place_order(customer, order_body((mug, 1))))
    assert catalog.requests == 3  # the first try and two retries


def test_a_stalled_catalog_times_out_into_503(settings, place_order, customer, catalog, mug):
    settings.CATALOG_READ_TIMEOUT = 0.2
    catalog.delay = 1.0

    started = time.monotonic()
    response = place_order(customer, order_body((mug, 1)))

    assert time.monotonic() - started < 2
    _assert_catalog_unavailable(response)


def test_the_circuit_opens_and_spares_the_catalog(place_order, customer, catalog, mug):
    catalog.failing = True
    for _ in range(2):
        place_order(customer, order_body((mug, 1)))
    calls_when_open = catalog.requests

    response = place_order(customer, order_body((mug, 1)))

    _assert_catalog_unavailable(response)
    assert "circuit open" in response.json()["detail"]
    assert catalog.requests == calls_when_open


def test_a_catalog_answer_of_the_wrong_shape_is_503(place_order, customer, catalog, mug):
    catalog.products[mug] = {"id": mug, "name": "Mug"}

    _assert_catalog_unavailable(place_order(customer, order_body((mug, 1))))


def test_with_the_no_breaker_switch_a_stalled_catalog_is_waited_for(settings, place_order, customer, catalog, mug):
    """The teaching switch: the same stall that times out above holds the request until the
    catalog answers; nothing here decides how long is too long."""
    settings.UNSAFE_SWITCHES = frozenset({"no-breaker"})
    settings.CATALOG_READ_TIMEOUT = 0.2
    catalog.delay = 1.0

    started = time.monotonic()
    response = place_order(customer, order_body((mug, 1)))

    assert time.monotonic() - started >= 1.0
    assert response.status_code == 201


def test_with_the_no_breaker_switch_the_circuit_never_opens(settings, place_order, customer, catalog, mug):
    settings.UNSAFE_SWITCHES = frozenset({"no-breaker"})
    catalog.failing = True

    for _ in range(8):
        _assert_catalog_unavailable(place_order(customer, order_body((mug, 1))))

    assert catalog.requests == 8  # every request asked, once: no retries, and no breaker to spare it
