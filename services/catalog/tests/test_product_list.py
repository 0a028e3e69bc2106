import pytest

pytestmark = pytest.mark.django_db


def test_anyone_can_browse_active_products_paginated(api, make_product):
    for _ in range(3):
        make_product()
    services_deactivated(make_product)

    response = api.get("/catalog/products/?limit=2")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def services_deactivated(make_product):
    from products import services

    return services.product_deactivate(product=make_product())


def test_search_by_name_is_case_insensitive(api, make_product):
    make_product(name="Blue Mug")
    make_product(name="Red Kettle")

    response = api.get("/catalog/products/?search=mug")

    assert [product["name"] for product in response.json()["results"]] == ["Blue Mug"]


def test_product_detail_shows_price_as_decimal_string_with_currency(api, make_product):
    product = make_product(price="12.50", currency="USD")

    body = api.get(f"/catalog/products/{product.id}/").json()

    assert body["price"] == "12.50"
    assert body["currency"] == "USD"


def test_unknown_or_inactive_product_is_404_json(api, make_product):
    inactive = services_deactivated(make_product)

    for path in ("/catalog/products/999999/", f"/catalog/products/{inactive.id}/", "/catalog/nothing-here/"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


def test_admin_can_list_inactive_products(api, admin, make_product):
    services_deactivated(make_product)

    body = api.as_(admin).get("/catalog/products/?include_inactive=true").json()

    assert body["count"] == 1
    assert body["results"][0]["active"] is False


def test_a_search_with_a_nul_is_400_not_a_database_error(api):
    response = api.get("/catalog/products/?search=%00")

    assert response.status_code == 400
    assert response.json()["fields"] == {"search": ["May not contain NUL characters."]}


@pytest.mark.parametrize("value", ["maybe", "null", "2"])
def test_include_inactive_must_be_a_boolean(api, value):
    response = api.get(f"/catalog/products/?include_inactive={value}")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["include_inactive"]
