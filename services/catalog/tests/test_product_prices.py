import pytest

pytestmark = pytest.mark.django_db


def test_prices_of_several_products_in_one_call(api, make_product):
    mug = make_product(price="7.50")
    kettle = make_product(price="30.00")

    body = api.get(f"/catalog/products/prices/?ids={mug.id},{kettle.id},999999").json()

    assert {(item["id"], item["price"]) for item in body["products"]} == {(mug.id, "7.50"), (kettle.id, "30.00")}
    assert body["missing"] == [999999]


def test_inactive_products_are_reported_missing(api, make_product):
    from products import services

    product = services.product_deactivate(product=make_product())

    assert api.get(f"/catalog/products/prices/?ids={product.id}").json()["missing"] == [product.id]


@pytest.mark.parametrize(
    "ids", ["", "a,b", "-1", "0", "1,,2", "1,", " 1", "1" * 19, "%EF%BC%91", ",".join(str(n) for n in range(1, 102))]
)
def test_bad_id_lists_are_refused_naming_ids(api, ids):
    response = api.get(f"/catalog/products/prices/?ids={ids}")

    assert response.status_code == 400
    assert "ids" in response.json()["fields"]
