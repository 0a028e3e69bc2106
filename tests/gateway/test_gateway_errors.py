"""Errors through a running gateway: NGINX's own errors answer in the project's JSON shape,
while a service's own error answers pass through byte for byte."""

from __future__ import annotations

import json

import pytest

from ecomctl.description.gateway_config import GATEWAY_ERRORS


def parse_size(size: str) -> int:
    units = {"k": 1024, "m": 1024 * 1024}
    return int(size[:-1]) * units[size[-1].lower()] if size[-1].isalpha() else int(size)


def test_body_over_the_limit_gets_json_413(gateway, stack):
    limit = parse_size(stack.gateway.client_max_body_size)

    reply = gateway.request("POST", "/orders/", body=b"x" * (limit + 1))

    assert reply.status == 413
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == {"error": "too_large", "detail": "Request body is too large."}


def test_body_at_the_limit_reaches_the_service(gateway, stack):
    limit = parse_size(stack.gateway.client_max_body_size)

    reply = gateway.request("POST", "/orders/", body=b"x" * limit)

    assert reply.status == 200
    assert reply.json()["body_length"] == limit


def test_service_that_is_down_gets_json_502(gateway):
    reply = gateway.request("GET", "/payments/")

    assert reply.status == 502
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == {"error": "bad_gateway", "detail": "The service behind this path is not answering."}


@pytest.mark.parametrize("status", [400, 401, 404, 409, 413, 422, 429, 500, 502, 503])
def test_service_errors_pass_through_unchanged(gateway, status):
    path = f"/catalog/reply-status/{status}/"

    reply = gateway.request("GET", path)

    assert reply.status == status
    assert reply.headers["Content-Type"] == "application/vnd.echo+json"
    assert reply.json()["service"] == "catalog"
    assert reply.json()["path"] == path


@pytest.mark.parametrize("error", GATEWAY_ERRORS, ids=lambda error: str(error.status))
def test_every_gateway_error_body_is_valid_json_in_the_project_shape(gateway, error):
    config = gateway.config_file.read_text()

    body_line = next(line for line in config.splitlines() if line.strip().startswith(f"return {error.status} '"))
    body = body_line.split("'", 1)[1].rsplit("'", 1)[0]

    assert json.loads(body) == {"error": error.code, "detail": error.detail}


def test_service_that_comes_back_is_routed_again_at_once(start_gateway, start_echo_server, stack, upstreams):
    gateway = start_gateway(stack)
    assert gateway.request("GET", "/notifications/").status == 502

    start_echo_server("notifications", upstreams["notifications"][1])
    reply = gateway.request("GET", "/notifications/")

    assert reply.status == 200
    assert reply.json()["service"] == "notifications"


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (b"GET /orders/\x00 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
        (b"GET /orders/ a b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
        (
            b"GET /" + b"a" * 6000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            414,
            "uri_too_long",
        ),  # gunicorn's own limit was 4094
        (b"GET /orders/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431, "headers_too_large"),
        (b"POST /orders/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "not_implemented"),
        (b"GET /orders/ HTTP/2.0\r\nHost: x\r\n\r\n", 505, "http_version_not_supported"),
    ],
    ids=[
        "nul-in-path",
        "space-in-request-line",
        "uri-over-8k",
        "uri-over-4k",
        "header-over-8k",
        "transfer-encoding-gzip",
        "http-2-request-line",
    ],
)
def test_requests_nginx_cannot_parse_get_the_json_shape(gateway, request_bytes, status, code):
    reply = gateway.raw(request_bytes)

    assert reply.status == status
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json()["error"] == code


def test_trace_is_refused_by_the_gateway_with_the_methods_it_passes_on(gateway):
    reply = gateway.request("TRACE", "/catalog/products/")

    assert reply.status == 405
    assert reply.json()["error"] == "method_not_allowed"
    assert reply.headers["Allow"] == "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
    assert reply.headers["X-Request-ID"]
