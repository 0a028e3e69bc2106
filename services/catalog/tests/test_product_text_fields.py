"""A product's text fields take JSON strings only: a number sent as a SKU, name or
description is refused, not stored as its digits."""

import pytest

from products.models import Product

pytestmark = pytest.mark.django_db

NEW_PRODUCT = {"sku": "TEAPOT-1", "name": "Teapot", "description": "Cast iron.", "price": "19.90", "currency": "EUR"}


@pytest.mark.parametrize("field", ["sku", "name", "description"])
@pytest.mark.parametrize("number", [10**30, 1e308, 0, -1, 1.5])
def test_a_number_is_not_taken_as_text_on_create(api, admin, field, number):
    response = api.as_(admin).post("/catalog/products/", {**NEW_PRODUCT, field: number}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {field: ["Not a valid string."]}
    assert not Product.objects.exists()


def test_a_number_is_not_taken_as_text_on_update(api, admin, make_product):
    product = make_product(name="Teapot")

    response = api.as_(admin).patch(f"/catalog/products/{product.id}/", {"name": 1e308}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {"name": ["Not a valid string."]}
    product.refresh_from_db()
    assert product.name == "Teapot"


def test_text_fields_keep_their_length_limits(api, admin):
    response = api.as_(admin).post("/catalog/products/", {**NEW_PRODUCT, "sku": "S" * 65}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"sku"}


def test_a_duplicate_sku_is_still_refused(api, admin, make_product):
    make_product(sku="TEAPOT-1")

    response = api.as_(admin).post("/catalog/products/", NEW_PRODUCT, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"sku"}
