"""Orders verifies tokens itself; health, metrics and the schema answer without one."""

import pytest

from chassis.testing import FORGED_TOKEN_KINDS, forged_tokens
from tests.conftest import order_body

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("kind", FORGED_TOKEN_KINDS)
def test_forged_or_broken_tokens_are_refused(api, token_issuer, kind):
    token = forged_tokens(token_issuer)[kind]

    response = api.post("/orders/", order_body((1, 1)), format="json", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


@pytest.mark.parametrize("email", [" ", "not-an-email"])
def test_a_token_without_a_valid_email_cannot_place_orders(api, token_issuer, mug, email):
    token = token_issuer.token(email=email)

    response = api.post("/orders/", order_body((mug, 1)), format="json", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 403


def test_health_metrics_and_schema(api, customer):
    assert api.get("/health/live/").json() == {"status": "ok"}
    assert api.get("/health/ready/").json()["checks"]["database"] == "ok"
    assert "ecomlab_outbox_pending" in api.get("/internal/metrics").content.decode()
    assert api.as_(customer).get("/orders/schema/").status_code == 200


def test_unknown_paths_answer_json_404(api, customer):
    response = api.as_(customer).get("/orders/nope/deeper/")

    assert response.status_code == 404 and response.json()["error"] == "not_found"
