"""The catalog keeps the contract of every service and verifies tokens itself."""

import pytest

from chassis_testing.contract_tests import ServiceContract

pytestmark = pytest.mark.django_db


class TestCatalogIsAnEcomlabService(ServiceContract):
    service = "catalog"
    protected = ("post", "/catalog/products/")


def test_a_valid_admin_token_is_accepted(api, admin):
    assert api.as_(admin).post("/catalog/products/", {}, format="json").status_code == 400


def test_the_schema_names_the_price_lookup(api):
    assert "/catalog/products/prices/" in api.get("/catalog/schema/", HTTP_ACCEPT="application/json").json()["paths"]
