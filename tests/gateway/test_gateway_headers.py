"""Headers through a running gateway: identity claims from clients are dropped, proxy
headers are set by the gateway, and every request carries one safe X-Request-ID."""

from __future__ import annotations

import pytest

from ecomctl.description.gateway_config import IDENTITY_HEADERS

VALID_ID = "client-trace:0001.ab_c"


def test_client_identity_headers_never_reach_a_service(gateway):
    spoofed = {header: "admin" for header in IDENTITY_HEADERS}

    received = gateway.request("GET", "/catalog/", headers={**spoofed, "X_User_Id": "1"}).json()["headers"]

    assert not {header.lower() for header in spoofed} & set(received)
    assert "x_user_id" not in received


def test_authorization_passes_for_services_to_verify(gateway):
    received = gateway.request("GET", "/orders/", headers={"Authorization": "Bearer abc.def.ghi"}).json()["headers"]

    assert received["authorization"] == "Bearer abc.def.ghi"


def test_gateway_sets_forwarding_headers_and_ignores_client_claims(gateway):
    received = gateway.request(
        "GET",
        "/auth/",
        headers={"X-Forwarded-For": "10.9.9.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"},
    ).json()["headers"]

    assert received["host"] == f"127.0.0.1:{gateway.port}"
    assert received["x-forwarded-for"] == "127.0.0.1"
    assert received["x-forwarded-proto"] == "http"
    assert "x-forwarded-host" not in received


def test_request_id_is_made_when_absent_and_returned(gateway):
    reply = gateway.request("GET", "/catalog/")

    sent_upstream = reply.json()["headers"]["x-request-id"]
    assert len(sent_upstream) == 32
    assert reply.headers.get_all("X-Request-ID") == [sent_upstream]


def test_valid_client_request_id_is_kept(gateway):
    reply = gateway.request("GET", "/catalog/", headers={"X-Request-ID": VALID_ID})

    assert reply.json()["headers"]["x-request-id"] == VALID_ID
    assert reply.headers.get_all("X-Request-ID") == [VALID_ID]


@pytest.mark.parametrize("unsafe", ["short", "has space inside", "x" * 129, 'quote"injection"', "line;break{}"])
def test_unsafe_client_request_id_is_replaced(gateway, unsafe):
    reply = gateway.request("GET", "/catalog/", headers={"X-Request-ID": unsafe})

    sent_upstream = reply.json()["headers"]["x-request-id"]
    assert sent_upstream != unsafe
    assert len(sent_upstream) == 32
    assert reply.headers["X-Request-ID"] == sent_upstream


def test_gateway_own_answers_carry_the_request_id(gateway):
    reply = gateway.request("GET", "/nowhere/", headers={"X-Request-ID": VALID_ID})

    assert reply.headers["X-Request-ID"] == VALID_ID


def test_access_log_is_one_json_object_per_request_with_its_id(gateway):
    request_id = "access-log-check-0001"
    gateway.request("GET", "/orders/logged/", headers={"X-Request-ID": request_id})

    entries = gateway.access_log_entries(request_id)

    assert len(entries) == 1
    assert entries[0]["uri"] == "/orders/logged/"
    assert entries[0]["status"] == 200
    assert entries[0]["upstream_status"] == "200"


@pytest.mark.parametrize(("header", "claim"), [("X-Forwarded-Ssl", "on"), ("X-Forwarded-Protocol", "ssl")])
def test_client_claims_of_https_in_gunicorns_other_spellings_are_dropped(gateway, header, claim):
    received = gateway.request("GET", "/auth/", headers={header: claim}).json()["headers"]

    assert header.lower() not in received
    assert received["x-forwarded-proto"] == "http"


def test_a_request_with_two_content_types_reaches_a_service_with_the_first(gateway):
    reply = gateway.raw(
        b"POST /orders/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n"
        b"Content-Type: application/json\r\nContent-Type: text/plain\r\n\r\n{}"
    )

    # The echo keeps the last of repeated headers: the first one arriving means it came alone.
    assert reply.json()["headers"]["content-type"] == "application/json"


def test_a_request_without_a_content_type_reaches_a_service_without_one(gateway):
    received = gateway.request("GET", "/orders/").json()["headers"]

    assert "content-type" not in received
