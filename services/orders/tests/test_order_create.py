"""POST /orders/: prices from the catalog, the order.created event, and every validation rule."""

import json

import pytest

from chassis.messaging.models import OutboxMessage
from orders.models import Order
from tests.conftest import new_key, order_body

pytestmark = pytest.mark.django_db
# The placement's transaction (a savepoint here, inside the test's own), the order, its
# lines, its first status, the outbox row and its NOTIFY: no savepoint inside the
# placement, and nothing read back for the answer.
QUERIES_TO_PLACE_AN_ORDER = 6
# With an Idempotency-Key: one statement claims the key, one stores the answer with it.
QUERIES_TO_PLACE_AN_ORDER_WITH_A_KEY = QUERIES_TO_PLACE_AN_ORDER + 2


def test_an_order_is_priced_by_the_catalog_and_pending(place_order, customer, mug, kettle):
    response = place_order(customer, order_body((mug, 2), (kettle, 1)))

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "PENDING"
    assert body["items"] == [
        {"product_id": mug, "name": "Mug", "quantity": 2, "unit_price": "7.50", "line_total": "15.00"},
        {"product_id": kettle, "name": "Kettle", "quantity": 1, "unit_price": "30.00", "line_total": "30.00"},
    ]
    assert (body["total"], body["currency"], body["payment_method"]) == ("45.00", "EUR", "tok_visa")
    assert [change["status"] for change in body["status_history"]] == ["PENDING"]
    assert body["created_at"] and body["id"]


def test_the_answer_to_a_placed_order_is_the_order_as_stored(place_order, api, customer, mug, kettle):
    placed = place_order(customer, order_body((mug, 2), (kettle, 1))).json()

    assert placed == api.as_(customer).get(f"/orders/{placed['id']}/").json()


def test_placing_an_order_takes_a_known_number_of_queries(place_order, customer, mug, django_assert_num_queries):
    with django_assert_num_queries(QUERIES_TO_PLACE_AN_ORDER):
        assert place_order(customer, order_body((mug, 1))).status_code == 201


def test_placing_with_an_idempotency_key_takes_a_known_number_of_queries(
    place_order, customer, mug, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES_TO_PLACE_AN_ORDER_WITH_A_KEY):
        assert place_order(customer, order_body((mug, 1)), HTTP_IDEMPOTENCY_KEY=new_key()).status_code == 201


def test_order_created_is_in_the_outbox_with_the_customer_from_the_token(place_order, customer, mug):
    order_id = place_order(customer, order_body((mug, 3))).json()["id"]

    event = OutboxMessage.objects.get(event_type="order.created").payload
    assert event["data"] == {
        "order_id": order_id,
        "customer": {"id": customer.id, "email": customer.email},
        "items": [{"product_id": mug, "name": "Mug", "quantity": 3, "unit_price": "7.50"}],
        "total": "22.50",
        "currency": "EUR",
        "payment_method": "tok_visa",
    }


def test_fields_the_client_must_not_set_are_ignored(place_order, customer, other_customer, mug):
    body = order_body((mug, 1))
    body.update(status="CONFIRMED", total="0.01", currency="USD", customer_id=other_customer.id, user_id="1")
    body["items"][0].update(unit_price="0.01", line_total="0.01", name="Free mug")

    created = place_order(customer, body).json()

    order = Order.objects.get(id=created["id"])
    assert (order.status, order.total, order.currency, order.customer_id) == ("PENDING", 7.50, "EUR", customer.id)
    assert created["items"][0]["unit_price"] == "7.50" and created["items"][0]["name"] == "Mug"


def test_placing_an_order_needs_a_token(place_order, mug):
    assert place_order(None, order_body((mug, 1))).status_code == 401


def _field_errors(response) -> dict:
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid"
    return response.json()["fields"]


MISSING = object()
ONE_LINE = object()


def request_with(*, items=ONE_LINE, payment_method="tok_visa", **line_changes) -> dict:
    """A valid one-line order request with one thing changed; MISSING leaves a field out."""
    line = {"product_id": 101, "quantity": 1, **line_changes}
    body = {"items": [line] if items is ONE_LINE else items, "payment_method": payment_method}
    return {field: value for field, value in body.items() if value is not MISSING}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (request_with(items=MISSING), ["items"]),
        (request_with(items=[]), ["items"]),
        (request_with(items=None), ["items"]),
        (request_with(items={"product_id": 101}), ["items"]),
        (request_with(items=[{"product_id": n, "quantity": 1} for n in range(1, 52)]), ["items"]),
        (request_with(items=[{"quantity": 1}]), ["items", "0", "product_id"]),
        (request_with(product_id=0), ["items", "0", "product_id"]),
        (request_with(product_id=-4), ["items", "0", "product_id"]),
        (request_with(product_id="101"), ["items", "0", "product_id"]),
        (request_with(product_id=2**70), ["items", "0", "product_id"]),
        (request_with(items=[{"product_id": 101}]), ["items", "0", "quantity"]),
        (request_with(quantity=0), ["items", "0", "quantity"]),
        (request_with(quantity=1001), ["items", "0", "quantity"]),
        (request_with(quantity=10**30), ["items", "0", "quantity"]),
        (request_with(quantity=1.5), ["items", "0", "quantity"]),
        (request_with(quantity=True), ["items", "0", "quantity"]),
        (
            request_with(items=[{"product_id": 101, "quantity": 1}, {"product_id": 102, "quantity": "x"}]),
            ["items", "1", "quantity"],
        ),
        (request_with(payment_method=MISSING), ["payment_method"]),
        (request_with(payment_method=""), ["payment_method"]),
        (request_with(payment_method="tok visa"), ["payment_method"]),
        (request_with(payment_method="tok-visa;drop"), ["payment_method"]),
        (request_with(payment_method="t" * 65), ["payment_method"]),
        (request_with(payment_method=None), ["payment_method"]),
        (request_with(payment_method=42), ["payment_method"]),
        ([{"product_id": 101, "quantity": 1}], ["body"]),
    ],
)
def test_bad_order_requests_are_refused_naming_the_field(place_order, customer, mug, kettle, body, path):
    problem = _field_errors(place_order(customer, body))
    for step in path:
        problem = problem[step]
    assert problem and all(isinstance(message, str) for message in problem)


def test_a_product_given_twice_is_refused_at_the_second_line(place_order, customer, mug):
    fields = _field_errors(place_order(customer, order_body((mug, 1), (mug, 2))))

    assert list(fields["items"]) == ["1"]
    assert "already on line 0" in fields["items"]["1"]["product_id"][0]


def test_malformed_json_is_refused(api, customer):
    response = api.as_(customer).post("/orders/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "body" in response.json()["fields"]


def test_unknown_or_inactive_products_are_refused_naming_the_line(place_order, customer, mug, catalog):
    fields = _field_errors(place_order(customer, order_body((mug, 1), (999, 1))))

    assert fields["items"] == {"1": {"product_id": ["No active product has this id."]}}
    assert catalog.requests == 1
    assert not Order.objects.exists() and not OutboxMessage.objects.exists()


def test_products_in_different_currencies_are_refused(place_order, customer, mug, catalog):
    dollars = catalog.add(300, price="5.00", currency="USD")

    fields = _field_errors(place_order(customer, order_body((mug, 1), (dollars, 1))))

    assert "EUR, USD" in fields["items"][0]


def test_a_total_beyond_what_an_order_can_hold_is_refused(place_order, customer, catalog):
    gold = catalog.add(400, price="99999999.99")

    fields = _field_errors(place_order(customer, order_body((gold, 1000))))

    assert "may not exceed" in fields["items"][0]


def test_json_nested_too_deeply_is_400(api, customer):
    response = api.as_(customer).post("/orders/", "[" * 1000 + "]" * 1000, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"


def test_a_nul_in_the_body_is_400_naming_the_field(place_order, customer, mug):
    response = place_order(customer, {**order_body((mug, 1)), "payment_method": "tok_\x00visa"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"payment_method": ["May not contain NUL characters."]}


def test_a_lone_surrogate_with_an_idempotency_key_is_400_and_makes_nothing(api, customer, mug):
    body = json.dumps(order_body((mug, 1)))[:-1] + ', "note": "\\ud800"}'

    response = api.as_(customer).post("/orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=new_key())

    assert response.status_code == 400
    assert response.json()["fields"] == {"note": ["Is not valid Unicode text (a lone surrogate)."]}
    assert not Order.objects.exists()


def test_an_admin_filter_with_a_nul_is_400(api, admin):
    response = api.as_(admin).get("/orders/?customer_id=%00")

    assert response.status_code == 400
    assert response.json()["fields"] == {"customer_id": ["May not contain NUL characters."]}


def test_a_product_id_longer_than_the_catalog_takes_is_refused_without_asking_it(place_order, customer, catalog):
    response = place_order(customer, order_body((10**18, 1)))

    assert response.status_code == 400
    assert list(response.json()["fields"]["items"]["0"]) == ["product_id"]
    assert catalog.requests == 0


def test_the_longest_product_id_the_catalog_takes_is_looked_up(place_order, customer, catalog):
    response = place_order(customer, order_body((10**18 - 1, 1)))

    assert response.status_code == 400
    assert response.json()["fields"]["items"] == {"0": {"product_id": ["No active product has this id."]}}
    assert catalog.requests == 1
