"""Orders keeps the contract of every service, verifies tokens itself, and needs a
customer's email to place an order."""

import pytest

from chassis_testing.contract_tests import PublishingServiceContract
from tests.conftest import order_body

pytestmark = pytest.mark.django_db


class TestOrdersIsAnEcomlabService(PublishingServiceContract):
    service = "orders"
    protected = ("post", "/orders/")


@pytest.mark.parametrize("email", [" ", "not-an-email"])
def test_a_token_without_a_valid_email_cannot_place_orders(api, token_issuer, mug, email):
    token = token_issuer.token(email=email)

    response = api.post("/orders/", order_body((mug, 1)), format="json", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 403


def test_unknown_paths_answer_json_404(api, customer):
    response = api.as_(customer).get("/orders/nope/deeper/")

    assert response.status_code == 404 and response.json()["error"] == "not_found"
