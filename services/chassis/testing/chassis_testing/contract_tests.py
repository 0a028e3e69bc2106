"""What every service must do, written once as test classes each service's suite
subclasses (naming its own paths): health, the OpenAPI schema, a 401 JSON for every
forged or broken token, and metrics where it has an outbox.

    ServiceContract
    └── PublishingServiceContract   (+ the outbox in /internal/metrics)

    class TestPaymentsIsAnEcomlabService(PublishingServiceContract):
        service = "payments"
        protected = ("get", "/payments/")
"""

from __future__ import annotations

import pytest

from chassis_testing.tokens import FORGED_TOKEN_KINDS, forged_tokens


@pytest.mark.django_db
class ServiceContract:
    service: str
    protected: tuple[str, str]  # (method, path) of an endpoint that needs a token
    has_lists = True  # whether any endpoint answers a paginated list

    @pytest.fixture
    def forger(self, token_issuer):
        """Signs the forged tokens; auth overrides it to sign with its own key."""
        return token_issuer

    def test_liveness_and_readiness(self, api):
        assert api.get("/health/live/").json() == {"status": "ok"}
        assert api.get("/health/ready/").json() == {"status": "ok", "checks": {"database": "ok"}}

    def test_openapi_schema_documents_bearer_authentication(self, api):
        response = api.get(f"/{self.service}/schema/", HTTP_ACCEPT="application/json")

        assert response.status_code == 200
        assert response.json()["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"

    def test_openapi_schema_documents_each_error_answer_in_the_error_shape(self, api):
        for where, operation, security in operations(self.schema(api)):
            responses = operation["responses"]
            assert {"400", "429", "503"} <= set(responses), where
            if {"bearerAuth": []} in security:
                assert "401" in responses, where
            for code, response in responses.items():
                if int(code) >= 400:
                    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
                if code in ("429", "503"):
                    assert "Retry-After" in response["headers"], where

    def test_openapi_schema_documents_lists_as_pages(self, api):
        lists = [
            (where, operation)
            for where, operation, _ in operations(self.schema(api))
            if any(parameter["name"] == "limit" for parameter in operation.get("parameters", []))
        ]

        assert bool(lists) == self.has_lists
        for where, operation in lists:
            page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            assert page.startswith("#/components/schemas/Paginated"), where

    def schema(self, api) -> dict:
        return api.get(f"/{self.service}/schema/", HTTP_ACCEPT="application/json").json()

    @pytest.mark.parametrize("kind", FORGED_TOKEN_KINDS)
    def test_forged_or_broken_tokens_are_refused(self, api, forger, kind):
        method, path = self.protected
        token = forged_tokens(forger)[kind]

        response = getattr(api, method)(path, {}, format="json", HTTP_AUTHORIZATION=f"Bearer {token}")

        assert response.status_code == 401
        assert response.json()["error"] == "not_authenticated"

    def test_a_token_that_is_not_ascii_is_refused_in_words(self, api):
        method, path = self.protected

        response = getattr(api, method)(path, {}, format="json", HTTP_AUTHORIZATION="Bearer tök.én.x")

        assert response.status_code == 401
        assert response.json()["detail"] == "Malformed token: a token is ASCII text."

    def test_a_nul_in_the_query_is_refused_before_any_query(self, api):
        method, path = self.protected

        response = api.get(f"{path}?search=%00")

        assert response.status_code == 400
        assert response.json()["fields"] == {"search": ["May not contain NUL characters."]}


def operations(schema: dict):
    """(method and path, operation, its security requirements) for each operation."""
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation, operation.get("security", schema.get("security", []))


class PublishingServiceContract(ServiceContract):
    def test_metrics_report_the_outbox(self, api):
        response = api.get("/internal/metrics")

        assert response.status_code == 200
        assert f'ecomlab_outbox_pending{{service="{self.service}"}}' in response.content.decode()
