"""GET /payments/ and /payments/{id}/: customers see their own payments, admins all."""

import uuid
from decimal import Decimal

import pytest

from payments.services import payment_charge_order
from tests.conftest import DATABASES

pytestmark = pytest.mark.django_db(databases=DATABASES)


def pay(caller, payment_method: str = "tok_visa"):
    return payment_charge_order(
        order_id=uuid.uuid4(),
        customer_id=caller.id,
        amount=Decimal("5.00"),
        currency="EUR",
        payment_method=payment_method,
    )


def test_customers_list_only_their_own_payments_paginated(api, customer, other_customer):
    mine = [pay(customer), pay(customer, "tok_insufficientFunds"), pay(customer)]
    pay(other_customer)

    body = api.as_(customer).get("/payments/?limit=2").json()

    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    listed = {item["id"] for item in body["results"] + api.get(body["next"]).json()["results"]}
    assert listed == {str(payment.id) for payment in mine}


def test_each_payment_shows_status_and_reason(api, customer):
    declined = pay(customer, "tok_chargeDeclined")

    item = api.as_(customer).get("/payments/").json()["results"][0]

    assert item["id"] == str(declined.id)
    assert (item["status"], item["failure_reason"], item["amount"]) == ("FAILED", "card_declined", "5.00")


def test_admins_list_every_payment(api, admin, customer, other_customer):
    pay(customer)
    pay(other_customer)

    assert api.as_(admin).get("/payments/").json()["count"] == 2


def test_a_customer_reads_an_own_payment(api, customer):
    payment = pay(customer)

    response = api.as_(customer).get(f"/payments/{payment.id}/")

    assert response.status_code == 200
    assert response.json()["order_id"] == str(payment.order_id)


def test_another_customers_payment_is_not_found(api, customer, other_customer, admin):
    payment = pay(other_customer)

    response = api.as_(customer).get(f"/payments/{payment.id}/")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert api.as_(admin).get(f"/payments/{payment.id}/").status_code == 200


@pytest.mark.parametrize("payment_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_unknown_payments_are_404_json(api, customer, payment_id):
    response = api.as_(customer).get(f"/payments/{payment_id}/")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_listing_needs_a_token(api):
    assert api.as_(None).get("/payments/").status_code == 401


@pytest.mark.parametrize("query", ["limit=abc", "offset=-5", "limit=0", "limit=1001"])
def test_pagination_parameters_out_of_range_are_refused(api, customer, query):
    response = api.as_(customer).get(f"/payments/?{query}")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
