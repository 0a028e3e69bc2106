"""Text checked at the boundary: JSON bodies through the chassis parser (too deep, NUL,
lone surrogates), and the URL and headers through the middleware, each refused with 400
naming where the problem is, before anything reaches a query."""

import io
import json

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework import exceptions

from chassis.boundary import RejectUnreadableText
from chassis.parsers import MAX_DEPTH, JSONParser


def parse(raw: bytes):
    return JSONParser().parse(io.BytesIO(raw), "application/json", {})


def test_ordinary_json_is_parsed_as_it_is():
    assert parse(b'{"items": [{"product_id": 1, "quantity": 2}], "note": "caf\\u00e9"}') == {
        "items": [{"product_id": 1, "quantity": 2}],
        "note": "café",
    }


def test_json_nested_beyond_python_s_reach_is_a_parse_error():
    with pytest.raises(exceptions.ParseError, match="nested too deeply"):
        parse(b"[" * 100_000 + b"]" * 100_000)


def test_json_nested_beyond_the_limit_names_where():
    with pytest.raises(exceptions.ValidationError) as refused:
        parse(json.dumps({"items": _nested(MAX_DEPTH + 2)}).encode())
    assert "Nested more than" in str(refused.value.detail)


def _nested(depth: int):
    value = 0
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("raw", "where", "problem"),
    [
        (b'{"email": "a\\u0000@example.com"}', "email", "NUL"),
        (b'{"items": [{"name": "\\ud800"}]}', "items[0].name", "lone surrogate"),
        (b'{"\\u0000": 1}', "body", "NUL"),
        (b'"\\u0000"', "body", "NUL"),
    ],
)
def test_unreadable_text_in_a_body_is_refused_where_it_is(raw, where, problem):
    with pytest.raises(exceptions.ValidationError) as refused:
        parse(raw)
    assert list(refused.value.detail) == [where]
    assert problem in str(refused.value.detail[where][0])


@pytest.mark.parametrize(
    ("path", "headers", "where"),
    [
        ("/catalog/products/?search=%00", {}, "search"),
        ("/catalog/products/?%00=1", {}, "query"),
        ("/orders/%00/", {}, "path"),
        ("/orders/", {"HTTP_X_NOTE": "a\x00b"}, "header X-Note"),
    ],
)
def test_nul_in_the_url_or_a_header_is_refused_before_the_view(path, headers, where):
    reached = []
    middleware = RejectUnreadableText(lambda request: reached.append(request) or HttpResponse("ok"))

    response = middleware(RequestFactory().get(path, **headers))

    assert response.status_code == 400 and not reached
    body = json.loads(response.content)
    assert body["error"] == "invalid" and list(body["fields"]) == [where]


def test_ordinary_requests_pass():
    middleware = RejectUnreadableText(lambda request: HttpResponse("ok"))

    assert middleware(RequestFactory().get("/catalog/products/?search=mug&limit=5")).status_code == 200
