"""Routing through a running gateway: each stack route reaches its own service with the
path unchanged, and nothing else (internals, unknown or ambiguous paths) gets through."""

from __future__ import annotations

import pytest

NOT_FOUND = {"error": "not_found", "detail": "No such resource."}


def test_gateway_health_is_answered_by_nginx(gateway):
    reply = gateway.request("GET", "/gateway/health")

    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == {"status": "ok"}


def test_every_route_reaches_its_service_with_path_and_query_unchanged(gateway, stack, echo_servers):
    for service in stack.services:
        if service.name not in echo_servers:
            continue
        for route in service.routes:
            reply = gateway.request("GET", f"{route}items/42/?page=2&q=a%20b")

            assert reply.status == 200, route
            assert reply.json()["service"] == service.name
            assert reply.json()["path"] == f"{route}items/42/?page=2&q=a%20b"


def test_post_body_and_method_reach_the_service(gateway):
    reply = gateway.request("POST", "/orders/", body=b'{"items": []}', headers={"Content-Type": "application/json"})

    assert reply.json()["method"] == "POST"
    assert reply.json()["body_length"] == len(b'{"items": []}')


def test_openapi_schema_is_public(gateway):
    reply = gateway.request("GET", "/catalog/schema/")

    assert reply.status == 200
    assert reply.json()["path"] == "/catalog/schema/"


@pytest.mark.parametrize(
    "path",
    [
        "/nowhere/",
        "/",
        "/catalog",
        "/index.html",
        "/internal/metrics",
        "/catalog/internal/stock/",
        "/health/live/",
        "/auth/health/ready/",
        "/admin/",
        "/orders/admin/login/",
        "/catalog/%61dmin/",
        "/metrics",
        "/payments/metrics",
        "//catalog//ADMIN/",
    ],
)
def test_unknown_and_internal_paths_get_json_404(gateway, path):
    reply = gateway.request("GET", path)

    assert reply.status == 404
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == NOT_FOUND


@pytest.mark.parametrize(
    "path", ["/catalog/../auth/token/", "/catalog/%2e%2e/auth/x", "/catalog/..%2Finternal/x", "/orders/./1/"]
)
def test_paths_that_change_on_normalising_are_refused(gateway, path):
    reply = gateway.request("GET", path)

    assert reply.status == 400
    assert reply.json()["error"] == "bad_request"


@pytest.mark.parametrize(
    "target",
    [b"/catalog/products/caf\xc3\xa9/", b"/catalog/products/?search=caf\xc3\xa9", b"/orders/?q=\xff"],
    ids=["utf8-in-path", "utf8-in-query", "byte-0xff-in-query"],
)
def test_unencoded_bytes_in_the_request_target_are_refused_in_json(gateway, target):
    reply = gateway.raw(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

    assert reply.status == 400
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json()["error"] == "bad_request"


def test_percent_encoded_text_still_reaches_the_service(gateway):
    reply = gateway.request("GET", "/catalog/products/?search=caf%C3%A9")

    assert reply.status == 200
    assert reply.json()["path"] == "/catalog/products/?search=caf%C3%A9"


def test_server_header_names_no_version(gateway):
    reply = gateway.request("GET", "/nowhere/")

    assert reply.headers["Server"] == "nginx"
