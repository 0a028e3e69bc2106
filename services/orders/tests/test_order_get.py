"""GET /orders/{id}/: one order with its lines and status history; others' orders do not exist."""

import uuid

import pytest

pytestmark = pytest.mark.django_db


def test_an_order_shows_its_items_and_history(api, customer, make_order):
    order = make_order(customer, price="7.50", quantity=2)

    body = api.as_(customer).get(f"/orders/{order.id}/").json()

    assert body["id"] == str(order.id) and body["status"] == "PENDING"
    assert body["items"] == [
        {"product_id": 101, "name": "Mug", "quantity": 2, "unit_price": "7.50", "line_total": "15.00"}
    ]
    assert body["total"] == "15.00"
    assert [(change["status"], change["reason"]) for change in body["status_history"]] == [("PENDING", "order placed")]
    assert body["status_history"][0]["changed_at"]


def test_another_customers_order_is_not_found(api, customer, other_customer, make_order):
    order = make_order(other_customer)

    response = api.as_(customer).get(f"/orders/{order.id}/")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_admins_may_read_any_order(api, admin, customer, make_order):
    order = make_order(customer)

    assert api.as_(admin).get(f"/orders/{order.id}/").status_code == 200


@pytest.mark.parametrize("order_id", [uuid.uuid4(), "not-a-uuid", "123"])
def test_unknown_or_malformed_ids_are_not_found(api, customer, order_id):
    response = api.as_(customer).get(f"/orders/{order_id}/")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_a_nul_in_the_path_is_refused_at_the_boundary(api, customer):
    response = api.as_(customer).get("/orders/%00/")

    assert response.status_code == 400
    assert response.json()["fields"] == {"path": ["May not contain NUL characters."]}
