"""Health, metrics and the OpenAPI schema, the endpoints every service exposes."""

import pytest

from chassis.testing import FORGED_TOKEN_KINDS, forged_tokens

pytestmark = pytest.mark.django_db


def test_health_endpoints(api):
    assert api.get("/health/live/").json() == {"status": "ok"}
    assert api.get("/health/ready/").json()["checks"]["database"] == "ok"


def test_metrics_show_the_outbox(api):
    response = api.get("/internal/metrics")

    assert response.status_code == 200
    assert 'ecomlab_outbox_pending{service="payments"}' in response.content.decode()


def test_openapi_schema(api, customer):
    response = api.as_(customer).get("/payments/schema/")

    assert response.status_code == 200


@pytest.mark.parametrize("kind", FORGED_TOKEN_KINDS)
def test_forged_tokens_are_refused(api, token_issuer, kind):
    response = api.get("/payments/", HTTP_AUTHORIZATION=f"Bearer {forged_tokens(token_issuer)[kind]}")

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
