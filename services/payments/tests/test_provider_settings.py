"""GET/PUT/PATCH /payments/provider/: operators set the provider's latency and failure rate."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/payments/provider/"


def test_defaults_are_a_fast_and_reliable_provider(api, admin):
    response = api.as_(admin).get(URL)

    assert response.status_code == 200
    assert (response.json()["latency_ms"], response.json()["failure_rate"]) == (0, 0.0)


def test_admin_sets_latency_and_failure_rate(api, admin):
    response = api.as_(admin).put(URL, {"latency_ms": 1500, "failure_rate": 0.25}, format="json")

    assert response.status_code == 200
    assert api.get(URL).json()["latency_ms"] == 1500
    assert api.get(URL).json()["failure_rate"] == 0.25


def test_patch_changes_only_the_given_field(api, admin):
    api.as_(admin).put(URL, {"latency_ms": 100, "failure_rate": 0.5}, format="json")

    response = api.patch(URL, {"failure_rate": 0}, format="json")

    assert (response.json()["latency_ms"], response.json()["failure_rate"]) == (100, 0.0)


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_customers_are_forbidden_and_anonymous_callers_unauthenticated(api, customer, method):
    body = {"latency_ms": 0, "failure_rate": 0}

    assert getattr(api.as_(customer), method)(URL, body, format="json").status_code == 403
    assert getattr(api.as_(None), method)(URL, body, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"latency_ms": -1, "failure_rate": 0}, "latency_ms"),
        ({"latency_ms": 30001, "failure_rate": 0}, "latency_ms"),
        ({"latency_ms": "slow", "failure_rate": 0}, "latency_ms"),
        ({"latency_ms": 1.5, "failure_rate": 0}, "latency_ms"),
        ({"latency_ms": None, "failure_rate": 0}, "latency_ms"),
        ({"failure_rate": 0}, "latency_ms"),
        ({"latency_ms": 0, "failure_rate": 1.01}, "failure_rate"),
        ({"latency_ms": 0, "failure_rate": -0.1}, "failure_rate"),
        ({"latency_ms": 0, "failure_rate": "often"}, "failure_rate"),
        ({"latency_ms": 0, "failure_rate": "NaN"}, "failure_rate"),
        ({"latency_ms": 0, "failure_rate": "0.5"}, "failure_rate"),
        ({"latency_ms": 0, "failure_rate": False}, "failure_rate"),
        ({"latency_ms": True, "failure_rate": 0}, "latency_ms"),
        ({"latency_ms": "5", "failure_rate": 0}, "latency_ms"),
    ],
)
def test_bad_values_are_refused_naming_the_field(api, admin, body, field):
    response = api.as_(admin).put(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_body_that_is_not_an_object_is_refused(api, admin):
    response = api.as_(admin).put(URL, [1, 2], format="json")

    assert response.status_code == 400
    assert "body" in response.json()["fields"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_numbers_json_does_not_have_are_refused(api, admin, number):
    body = '{"latency_ms": 0, "failure_rate": %s}' % number

    response = api.as_(admin).generic("PUT", URL, body, content_type="application/json")

    assert response.status_code == 400
