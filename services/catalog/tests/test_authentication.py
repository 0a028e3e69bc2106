"""The catalog verifies tokens itself: every forged or broken token is a 401 JSON."""

import pytest

from chassis.testing import FORGED_TOKEN_KINDS, forged_tokens

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("kind", FORGED_TOKEN_KINDS)
def test_forged_or_broken_tokens_are_refused(api, token_issuer, kind):
    token = forged_tokens(token_issuer)[kind]

    response = api.post("/catalog/products/", {}, format="json", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_a_valid_admin_token_is_accepted(api, admin):
    assert api.as_(admin).post("/catalog/products/", {}, format="json").status_code == 400


def test_health_endpoints(api):
    assert api.get("/health/live/").json() == {"status": "ok"}
    assert api.get("/health/ready/").json()["checks"]["database"] == "ok"


def test_openapi_schema_describes_bearer_authentication(api):
    response = api.get("/catalog/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/catalog/products/prices/" in schema["paths"]
