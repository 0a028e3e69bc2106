"""The catalog's OpenAPI schema says what its code does: anyone may read, admins write."""

import pytest


@pytest.fixture
def schema(api):
    return api.get("/catalog/schema/", HTTP_ACCEPT="application/json").json()


def test_reads_need_no_token_and_writes_need_an_admin_token(schema):
    products, product = schema["paths"]["/catalog/products/"], schema["paths"]["/catalog/products/{product_id}/"]

    for read in (products["get"], product["get"], schema["paths"]["/catalog/products/prices/"]["get"]):
        assert read["security"] == [{"bearerAuth": []}, {}]
        assert "403" not in read["responses"]
    for write in (products["post"], product["patch"], product["delete"]):
        assert write["security"] == [{"bearerAuth": []}]
        assert "403" in write["responses"]


def test_a_created_product_is_documented_as_201(schema):
    assert sorted(code for code in schema["paths"]["/catalog/products/"]["post"]["responses"] if code < "300") == [
        "201"
    ]


def test_the_query_parameters_are_documented(schema):
    def names(path):
        return {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}

    assert names("/catalog/products/") == {"search", "include_inactive", "limit", "offset"}
    assert names("/catalog/products/prices/") == {"ids"}


def test_what_a_client_writes_leaves_out_what_the_service_sets(schema):
    written = schema["components"]["schemas"]["ProductRequest"]

    assert set(written["properties"]) == {"sku", "name", "description", "price", "currency"}
    assert "id" not in written["properties"]
