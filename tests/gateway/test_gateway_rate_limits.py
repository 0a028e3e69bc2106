"""Rate limits through a running gateway of its own (fresh counters): a stricter limit on
POST /auth/token/ only, and an overall limit per client address, both answering JSON 429."""

from __future__ import annotations

import dataclasses

THROTTLED = {"error": "throttled", "detail": "Too many requests; slow down and retry shortly."}
ATTEMPTS = 30


def with_rate_limits(stack, **limits):
    rate_limits = {**stack.gateway.rate_limits, **limits}
    return dataclasses.replace(stack, gateway=dataclasses.replace(stack.gateway, rate_limits=rate_limits))


def test_hammering_the_token_endpoint_gets_json_429(start_gateway, stack):
    gateway = start_gateway(stack)

    replies = [gateway.request("POST", "/auth/token/", body=b"{}") for _ in range(ATTEMPTS)]

    statuses = [reply.status for reply in replies]
    burst = stack.gateway.rate_limits["token_burst"]
    assert statuses[: burst + 1] == [200] * (burst + 1)
    assert 429 in statuses
    throttled = next(reply for reply in replies if reply.status == 429)
    assert throttled.headers["Content-Type"] == "application/json"
    assert throttled.json() == THROTTLED
    assert throttled.headers["Retry-After"] == "1"  # 5r/s and 20r/s: one request again within a second
    assert throttled.headers["X-Request-ID"]


def test_token_limit_leaves_other_auth_requests_alone(start_gateway, stack):
    gateway = start_gateway(stack)

    statuses = {gateway.request("POST", "/auth/users/", body=b"{}").status for _ in range(ATTEMPTS // 2)}
    statuses |= {gateway.request("GET", "/auth/token/").status for _ in range(ATTEMPTS // 2)}

    assert statuses == {200}


def test_each_client_address_has_an_overall_limit(start_gateway, stack):
    gateway = start_gateway(with_rate_limits(stack, per_client="2r/s", per_client_burst=3))

    replies = [gateway.request("GET", "/catalog/") for _ in range(ATTEMPTS)]

    statuses = [reply.status for reply in replies]
    assert statuses[:4] == [200] * 4
    assert statuses.count(429) >= ATTEMPTS // 2
    assert next(reply for reply in replies if reply.status == 429).json() == THROTTLED


def test_retry_after_follows_the_stricter_limit(start_gateway, stack):
    gateway = start_gateway(with_rate_limits(stack, token="10r/m", token_burst=1))

    replies = [gateway.request("POST", "/auth/token/", body=b"{}") for _ in range(4)]

    throttled = next(reply for reply in replies if reply.status == 429)
    assert throttled.headers["Retry-After"] == "6"
