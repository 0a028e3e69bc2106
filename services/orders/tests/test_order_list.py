"""GET /orders/: your own orders, newest first, paginated; admins see everyone's."""

import pytest

pytestmark = pytest.mark.django_db


def test_customers_see_only_their_own_orders_newest_first(api, customer, other_customer, make_order):
    older, newer = make_order(customer), make_order(customer)
    make_order(other_customer)

    body = api.as_(customer).get("/orders/").json()

    assert body["count"] == 2
    assert [order["id"] for order in body["results"]] == [str(newer.id), str(older.id)]
    assert body["results"][0]["items"][0]["name"] == "Mug"


def test_a_customer_cannot_list_someone_elses_orders_by_filter(api, customer, other_customer, make_order):
    make_order(other_customer)

    assert api.as_(customer).get(f"/orders/?customer_id={other_customer.id}").json()["count"] == 0


def test_admins_see_all_orders_and_may_filter_by_customer(api, admin, customer, other_customer, make_order):
    make_order(customer)
    theirs = make_order(other_customer)

    assert api.as_(admin).get("/orders/").json()["count"] == 2
    filtered = api.as_(admin).get(f"/orders/?customer_id={other_customer.id}").json()
    assert [order["id"] for order in filtered["results"]] == [str(theirs.id)]


def test_the_list_is_paginated(api, customer, make_order):
    for _ in range(3):
        make_order(customer)

    body = api.as_(customer).get("/orders/?limit=2").json()

    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=abc", "limit"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=%EF%BC%93", "limit"),
        ("limit=", "limit"),
        ("offset=x", "offset"),
        ("offset=-5", "offset"),
        ("offset=10000000000", "offset"),
    ],
)
def test_paging_values_out_of_range_are_refused_naming_the_parameter(api, customer, make_order, query, parameter):
    make_order(customer)

    response = api.as_(customer).get(f"/orders/?{query}")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [parameter]


def test_the_largest_page_and_an_offset_past_the_end_are_answered(api, customer, make_order):
    make_order(customer)

    assert len(api.as_(customer).get("/orders/?limit=100").json()["results"]) == 1
    assert api.as_(customer).get("/orders/?offset=1000000000").json()["results"] == []


def test_listing_needs_a_token(api):
    assert api.get("/orders/").status_code == 401
