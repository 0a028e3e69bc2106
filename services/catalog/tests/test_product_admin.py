import pytest

pytestmark = pytest.mark.django_db

NEW_PRODUCT = {"sku": "MUG-1", "name": "Mug", "price": "7.50", "currency": "EUR"}


def test_admin_creates_updates_and_deactivates_a_product(api, admin):
    created = api.as_(admin).post("/catalog/products/", NEW_PRODUCT, format="json")
    assert created.status_code == 201
    product_id = created.json()["id"]

    updated = api.patch(f"/catalog/products/{product_id}/", {"price": "8.00"}, format="json")
    assert updated.status_code == 200
    assert updated.json()["price"] == "8.00"

    assert api.delete(f"/catalog/products/{product_id}/").status_code == 204
    assert api.as_(None).get(f"/catalog/products/{product_id}/").status_code == 404


def test_a_deleted_product_is_gone_for_an_admin_too_unless_asked_for(api, admin, make_product):
    product_id = make_product().id
    api.as_(admin).delete(f"/catalog/products/{product_id}/")

    assert api.get(f"/catalog/products/{product_id}/").status_code == 404
    assert api.delete(f"/catalog/products/{product_id}/").status_code == 404
    kept = api.get(f"/catalog/products/{product_id}/?include_inactive=true")
    assert kept.status_code == 200 and kept.json()["active"] is False


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_customers_and_anonymous_callers_cannot_write(api, customer, make_product, method):
    product = make_product()
    path = "/catalog/products/" if method == "post" else f"/catalog/products/{product.id}/"

    anonymous = getattr(api.as_(None), method)(path, NEW_PRODUCT, format="json")
    as_customer = getattr(api.as_(customer), method)(path, NEW_PRODUCT, format="json")

    assert anonymous.status_code == 401
    assert as_customer.status_code == 403
    assert as_customer.json()["error"] == "forbidden"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": "-1.00"}, "price"),
        ({"price": "cheap"}, "price"),
        ({"price": 12.5}, "price"),  # money is a decimal string, never a binary float
        ({"price": "1e3"}, "price"),
        ({"currency": "euro"}, "currency"),
        ({"name": ""}, "name"),
        ({"sku": None}, "sku"),
    ],
)
def test_invalid_product_fields_are_named(api, admin, changes, field):
    response = api.as_(admin).post("/catalog/products/", {**NEW_PRODUCT, **changes}, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_duplicate_sku_is_refused_naming_the_field(api, admin, make_product):
    make_product(sku="MUG-1")

    response = api.as_(admin).post("/catalog/products/", NEW_PRODUCT, format="json")

    assert response.status_code == 400
    assert "sku" in response.json()["fields"]


def test_client_cannot_set_read_only_fields(api, admin):
    body = (
        api.as_(admin).post("/catalog/products/", {**NEW_PRODUCT, "id": 424242, "active": False}, format="json").json()
    )

    assert body["id"] != 424242
    assert body["active"] is True


def test_malformed_json_is_400_naming_the_body(api, admin):
    response = api.as_(admin).post("/catalog/products/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"
    assert "body" in response.json()["fields"]


def test_oversized_body_is_413(api, admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api.as_(admin).post("/catalog/products/", {**NEW_PRODUCT, "description": "x" * 5000}, format="json")

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
