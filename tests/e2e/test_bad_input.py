"""A hostile or careless client, through the real gateway of a running stack.

Bodies that are not JSON objects, nest too deep, weigh megabytes or carry the wrong types;
text with NUL characters or lone surrogates; numbers too large, negative or fractional;
paging that asks for the impossible; paths and tokens that name nothing. Each such request
must be answered at once with a 4xx in the project's JSON error shape
({"error": code, "detail": sentence, "fields": {...}}): never a 5xx, an HTML page from
some layer behind the gateway, a hang, or a 429 because the test itself went too fast.

Where the input is odd but not wrong (an unknown field, a price of zero), the last tests
say what a production API answers instead, exactly.
"""

from __future__ import annotations

import base64
import copy
import http.client
import json
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from ecomctl.runtime.base import Runtime

DEADLINE_SECONDS = 2.0
JSON = "application/json"
MB = 1024 * 1024
# The gateway refuses bodies over 64 KiB (stack.yaml gateway.client_max_body_size); text
# this long still fits, so it is the service that must refuse it.
LONG_TEXT = "x" * 50_000
# Text this long cannot fit, so the gateway refuses the whole body.
TEXT_OVER_THE_BODY_LIMIT = "x" * 100_000
# Any product id the field cases send: they are refused before anything is priced.
SOME_PRODUCT_ID = 1


# ---------------------------------------------------------------------------------------
# The client: exact bytes in, status, type, body and time out, paced under the rate limits.


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)

    def describe(self) -> str:
        return f"{self.status} {self.media_type or '(no type)'} in {self.seconds:.2f} s: {self.body[:300]!r}"


def _per_second(rate: str) -> float:
    count, unit = rate.split("r/")
    return int(count) / (60 if unit == "m" else 1)


class Pacer:
    """Keeps this module's requests under the gateway's rate limits (per client address,
    and stricter for POST /auth/token/), so a case tests bad input, not the limiter."""

    SHARE = 0.75  # of each limit, leaving room for the burst the fixtures' set-up used

    def __init__(self, rate_limits: dict):
        self.intervals = {
            "per_client": 1 / (_per_second(rate_limits["per_client"]) * self.SHARE),
            "token": 1 / (_per_second(rate_limits["token"]) * self.SHARE),
        }
        self.last_sent = {zone: 0.0 for zone in self.intervals}

    def wait(self, method: str, path: str) -> None:
        zones = ["per_client"] + (["token"] if (method, path.split("?")[0]) == ("POST", "/auth/token/") else [])
        for zone in zones:
            delay = self.last_sent[zone] + self.intervals[zone] - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        for zone in zones:
            self.last_sent[zone] = time.monotonic()


class _Connection(http.client.HTTPConnection):
    """Writes the request line in latin-1, one byte per character, so a test can send a
    target with raw bytes over 0x7f (an unencoded "é"), which no careful client would."""

    def _encode_request(self, request: str) -> bytes:
        return request.encode("latin-1")


def unencoded(text: str) -> str:
    """text's UTF-8 bytes, one character each, for a request line sent as they are."""
    return text.encode().decode("latin-1")


class HostileClient:
    """Sends exactly what a test says (raw path, any headers, repeated ones too, any body
    bytes) over a fresh connection, with a socket timeout so a hang fails the test."""

    def __init__(self, gateway_url: str, pacer: Pacer):
        parts = urlsplit(gateway_url)
        self.host, self.port = parts.hostname, parts.port
        self.pacer = pacer

    def send(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        headers: list[tuple[str, str]] = (),
        chunked: bool = False,
    ) -> Reply:
        all_headers = list(headers)
        if content_type is not None:
            all_headers.append(("Content-Type", content_type))
        if token is not None:
            all_headers.append(("Authorization", f"Bearer {token}"))
        self.pacer.wait(method, path)
        connection = _Connection(self.host, self.port, timeout=DEADLINE_SECONDS + 1)
        started = time.monotonic()
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in all_headers:
                connection.putheader(name, value)
            if chunked:
                connection.putheader("Transfer-Encoding", "chunked")
            elif body is not None:
                connection.putheader("Content-Length", str(len(body)))
            try:
                connection.endheaders(body, encode_chunked=chunked)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the gateway answered before taking the whole body: read that answer
            response = connection.getresponse()
            content = response.read()
        except TimeoutError:
            pytest.fail(f"{method} {path[:80]}: no answer within {DEADLINE_SECONDS + 1:.0f} s")
        finally:
            connection.close()
        media_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
        return Reply(response.status, media_type, content, time.monotonic() - started)


# ---------------------------------------------------------------------------------------
# The cases.


@dataclass(frozen=True)
class Bad:
    """One bad request and the answer it must get."""

    id: str
    method: str
    path: str
    caller: str = "anonymous"  # anonymous, customer or admin
    body: bytes | None = None
    content_type: str | None = JSON
    headers: tuple[tuple[str, str], ...] = ()
    chunked: bool = False
    status: int = 400
    error: str | None = None  # the "error" code it must carry, when that is known
    only_field: str | None = None  # the one key "fields" must name

    def param(self, *marks):
        return pytest.param(self, id=self.id, marks=marks)


def _json(value) -> bytes:
    return json.dumps(value).encode()


def _multipart() -> bytes:
    return b'--boundary\r\nContent-Disposition: form-data; name="email"\r\n\r\nada@ecomlab.test\r\n--boundary--\r\n'


# Every endpoint that reads a body, with who sends it.
BODY_ENDPOINTS = [
    ("register", "POST", "/auth/register/", "anonymous"),
    ("login", "POST", "/auth/token/", "anonymous"),
    ("refresh", "POST", "/auth/token/refresh/", "anonymous"),
    ("product-create", "POST", "/catalog/products/", "admin"),
    ("product-update", "PATCH", "/catalog/products/{product_id}/", "admin"),
    ("order-by-customer", "POST", "/orders/", "customer"),
    ("order-by-admin", "POST", "/orders/", "admin"),
    ("provider-settings", "PUT", "/payments/provider/", "admin"),
]

# (id, body, content type, status, error code, the one field named)
BAD_BODIES = [
    ("nested-1000-deep", b"[" * 1000 + b"]" * 1000, JSON, 400, "malformed_json", "body"),
    ("object-nested-1000-deep", b'{"a":' * 1000 + b"1" + b"}" * 1000, JSON, 400, "malformed_json", "body"),
    ("truncated-json", b'{"email": ', JSON, 400, "malformed_json", "body"),
    ("invalid-utf8", b'{"name": "\xff\xfe"}', JSON, 400, "malformed_json", "body"),
    ("nan-literal", b'{"name": NaN}', JSON, 400, "malformed_json", "body"),
    ("integer-of-5000-digits", b'{"name": 1' + b"0" * 5000 + b"}", JSON, 400, "malformed_json", "body"),
    ("list", b"[1, 2]", JSON, 400, "invalid", "body"),
    ("number", b"7", JSON, 400, "invalid", "body"),
    ("string", b'"text"', JSON, 400, "invalid", "body"),
    ("null", b"null", JSON, 400, "invalid", "body"),
    ("nul-in-a-string", b'{"name": "a\\u0000b"}', JSON, 400, "invalid", "name"),
    ("nul-in-a-key", b'{"na\\u0000me": "a"}', JSON, 400, "invalid", "body"),
    ("lone-surrogate", b'{"name": "\\ud800"}', JSON, 400, "invalid", "name"),
    ("text-plain", b"email=ada", "text/plain", 415, "unsupported_media_type", None),
    (
        "form-encoded",
        b"email=ada%40ecomlab.test",
        "application/x-www-form-urlencoded",
        415,
        "unsupported_media_type",
        None,
    ),
    ("multipart", _multipart(), "multipart/form-data; boundary=boundary", 415, "unsupported_media_type", None),
    ("json-without-content-type", b"{}", None, 415, "unsupported_media_type", None),
    ("1-mb", b"x" * MB, JSON, 413, "too_large", None),
    ("20-mb", b"x" * (20 * MB), JSON, 413, "too_large", None),
]

# Permission is decided before a body is read: a body's faults do not tell outsiders more.
REFUSED_BEFORE_THE_BODY = [
    Bad(
        "anonymous-order-nested-1000-deep",
        "POST",
        "/orders/",
        body=b"[" * 1000 + b"]" * 1000,
        status=401,
        error="not_authenticated",
    ),
    Bad("anonymous-product-malformed", "POST", "/catalog/products/", body=b"{", status=401, error="not_authenticated"),
    Bad(
        "customer-product-nested-1000-deep",
        "POST",
        "/catalog/products/",
        "customer",
        body=b"[" * 1000 + b"]" * 1000,
        status=403,
        error="forbidden",
    ),
    Bad(
        "customer-provider-settings-malformed",
        "PUT",
        "/payments/provider/",
        "customer",
        body=b"{",
        status=403,
        error="forbidden",
    ),
    Bad(
        "customer-provider-settings-true",
        "PUT",
        "/payments/provider/",
        "customer",
        body=_json({"latency_ms": True, "failure_rate": True}),
        status=403,
        error="forbidden",
    ),
]


def body_cases() -> list:
    cases = []
    for name, method, path, caller in BODY_ENDPOINTS:
        for body_id, body, content_type, status, error, only_field in BAD_BODIES:
            cases.append(
                Bad(
                    f"{name}-{body_id}",
                    method,
                    path,
                    caller,
                    body=body,
                    content_type=content_type,
                    status=status,
                    error=error,
                    only_field=only_field,
                ).param()
            )
        if method != "PATCH":  # an empty PATCH changes nothing: see the tolerated inputs below
            cases.append(Bad(f"{name}-no-body", method, path, caller, content_type=None, error="invalid").param())
    cases.append(
        Bad(
            "order-20-mb-chunked",
            "POST",
            "/orders/",
            "customer",
            body=b"x" * (20 * MB),
            chunked=True,
            status=413,
            error="too_large",
        ).param()
    )
    return cases + [case.param() for case in REFUSED_BEFORE_THE_BODY]


# Values that are wrong for some field; each field lists which of them it must refuse.
VALUES = {
    "true": True,
    "false": False,
    "null": None,
    "integer-1e30": 10**30,
    "float-1e308": 1e308,
    "negative": -1,
    "zero": 0,
    "fraction": 1.5,
    "whole-float": 1.0,
    "numeric-string": "1",
    "empty-string": "",
    "list": [],
    "object": {},
    "50k-chars": LONG_TEXT,
}
NOT_TEXT = ["true", "false", "null", "integer-1e30", "float-1e308", "negative", "zero", "fraction", "list", "object"]
REQUIRED_TEXT = NOT_TEXT + ["empty-string", "50k-chars"]
WHOLE_NUMBER = [
    "true",
    "false",
    "null",
    "integer-1e30",
    "float-1e308",
    "negative",
    "zero",
    "fraction",
    "whole-float",
    "numeric-string",
    "empty-string",
    "list",
    "object",
    "50k-chars",
]
# Zero and 1.5 are prices in range; whether money may come as a JSON number is the catalog's rule.
PRICE = [
    "true",
    "false",
    "null",
    "integer-1e30",
    "float-1e308",
    "negative",
    "empty-string",
    "list",
    "object",
    "50k-chars",
]
LATENCY = [value for value in WHOLE_NUMBER if value != "zero"]  # no added latency is the default
FAILURE_RATE = [
    "true",
    "false",
    "null",
    "integer-1e30",
    "float-1e308",
    "negative",
    "fraction",
    "numeric-string",
    "empty-string",
    "list",
    "object",
    "50k-chars",
]  # 0 and 1 are its bounds
ITEMS = [
    "true",
    "false",
    "null",
    "integer-1e30",
    "negative",
    "zero",
    "numeric-string",
    "empty-string",
    "object",
    "list",
]
LINE = [
    "true",
    "false",
    "null",
    "integer-1e30",
    "negative",
    "zero",
    "fraction",
    "numeric-string",
    "empty-string",
    "list",
    "object",
]


def _with(payload: dict, path: str, value) -> dict:
    """A deep copy of payload with the field at path (dotted, list indexes as numbers) set."""
    changed = copy.deepcopy(payload)
    *parents, last = path.split(".")
    target = changed
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[int(last) if isinstance(target, list) else last] = value
    return changed


def _unique(case_id: str) -> str:
    """A short name of its own per case, so no case is refused for a duplicate instead."""
    return uuid.uuid5(uuid.NAMESPACE_URL, case_id).hex[:12]


def _register(case_id: str) -> dict:
    return {
        "email": f"bad-{_unique(case_id)}@ecomlab.test",
        "password": "correct horse battery staple",
        "name": "Careless Client",
    }


def _product(case_id: str) -> dict:
    return {
        "sku": f"BAD-{_unique(case_id)}",
        "name": "Careless product",
        "description": "",
        "price": "9.99",
        "currency": "EUR",
    }


ORDER = {"items": [{"product_id": SOME_PRODUCT_ID, "quantity": 1}], "payment_method": "tok_visa"}
# Logins go to an email no account has, so a case let through wrongly cannot lock a real one.
LOGIN = {"email": "nobody@ecomlab.test", "password": "not the password"}
PROVIDER = {"latency_ms": 0, "failure_rate": 0.0}

# (payload name, method, path, caller, payload for a case id, field path, values it must refuse)
FIELDS = [
    ("register", "POST", "/auth/register/", "anonymous", _register, "email", REQUIRED_TEXT),
    ("register", "POST", "/auth/register/", "anonymous", _register, "password", REQUIRED_TEXT),
    ("register", "POST", "/auth/register/", "anonymous", _register, "name", REQUIRED_TEXT),
    ("login", "POST", "/auth/token/", "anonymous", lambda _: LOGIN, "email", REQUIRED_TEXT),
    ("login", "POST", "/auth/token/", "anonymous", lambda _: LOGIN, "password", REQUIRED_TEXT),
    ("refresh", "POST", "/auth/token/refresh/", "anonymous", lambda _: {"refresh": "r"}, "refresh", REQUIRED_TEXT),
    ("product", "POST", "/catalog/products/", "admin", _product, "sku", REQUIRED_TEXT),
    ("product", "POST", "/catalog/products/", "admin", _product, "name", REQUIRED_TEXT),
    ("product", "POST", "/catalog/products/", "admin", _product, "description", NOT_TEXT),
    ("product", "POST", "/catalog/products/", "admin", _product, "price", PRICE),
    ("product", "POST", "/catalog/products/", "admin", _product, "currency", REQUIRED_TEXT),
    (
        "product-update",
        "PATCH",
        "/catalog/products/{product_id}/",
        "admin",
        lambda _: {},
        "name",
        ["true", "null", "integer-1e30", "empty-string", "50k-chars"],
    ),
    (
        "product-update",
        "PATCH",
        "/catalog/products/{product_id}/",
        "admin",
        lambda _: {},
        "price",
        ["true", "null", "negative", "float-1e308"],
    ),
    ("order", "POST", "/orders/", "customer", lambda _: ORDER, "payment_method", REQUIRED_TEXT),
    ("order", "POST", "/orders/", "customer", lambda _: ORDER, "items", ITEMS),
    ("order", "POST", "/orders/", "customer", lambda _: ORDER, "items.0.product_id", WHOLE_NUMBER),
    ("order", "POST", "/orders/", "customer", lambda _: ORDER, "items.0.quantity", WHOLE_NUMBER),
    ("order", "POST", "/orders/", "customer", lambda _: ORDER, "items.0", LINE),
    ("provider", "PUT", "/payments/provider/", "admin", lambda _: PROVIDER, "latency_ms", LATENCY),
    ("provider", "PUT", "/payments/provider/", "admin", lambda _: PROVIDER, "failure_rate", FAILURE_RATE),
]

# Text too long for any body the gateway takes.
OVER_THE_BODY_LIMIT = [
    ("register", "POST", "/auth/register/", "anonymous", _register, "email"),
    ("register", "POST", "/auth/register/", "anonymous", _register, "name"),
    ("login", "POST", "/auth/token/", "anonymous", lambda _: LOGIN, "password"),
    ("product", "POST", "/catalog/products/", "admin", _product, "sku"),
    ("product", "POST", "/catalog/products/", "admin", _product, "name"),
    ("order", "POST", "/orders/", "customer", lambda _: ORDER, "payment_method"),
]


def field_cases() -> list:
    cases = []
    for name, method, path, caller, payload_for, field_path, refused in FIELDS:
        top_field = field_path.split(".")[0]
        for value_id in refused:
            case_id = f"{name}-{field_path.replace('.0', '-line')}-{value_id}"
            body = _json(_with(payload_for(case_id), field_path, VALUES[value_id]))
            cases.append(Bad(case_id, method, path, caller, body=body, error="invalid", only_field=top_field).param())
    for name, method, path, caller, payload_for, field_name in OVER_THE_BODY_LIMIT:
        case_id = f"{name}-{field_name}-100k-chars"
        body = _json({**payload_for(case_id), field_name: TEXT_OVER_THE_BODY_LIMIT})
        cases.append(Bad(case_id, method, path, caller, body=body, status=413, error="too_large").param())
    return cases


def _order_body(items: list[dict]) -> bytes:
    return _json({"items": items, "payment_method": "tok_visa"})


ORDER_CASES = [
    Bad(
        "order-1000-items",
        "POST",
        "/orders/",
        "customer",
        body=_order_body([{"product_id": number, "quantity": 1} for number in range(1, 1001)]),
        only_field="items",
    ),
    Bad(
        "order-same-product-on-two-lines",
        "POST",
        "/orders/",
        "customer",
        body=_order_body([{"product_id": SOME_PRODUCT_ID, "quantity": 1}] * 2),
        only_field="items",
    ),
    Bad(
        "order-product-id-2-to-the-63",
        "POST",
        "/orders/",
        "customer",
        body=_order_body([{"product_id": 2**63, "quantity": 1}]),
        only_field="items",
    ),
    Bad(
        "order-product-id-1e18",
        "POST",
        "/orders/",
        "customer",
        body=_order_body([{"product_id": 10**18, "quantity": 1}]),
        only_field="items",
    ),
    Bad(
        "order-product-id-of-no-product",
        "POST",
        "/orders/",
        "customer",
        body=_order_body([{"product_id": 10**18 - 1, "quantity": 1}]),
        only_field="items",
    ),
    Bad(
        "order-quantity-1001",
        "POST",
        "/orders/",
        "customer",
        body=_order_body([{"product_id": SOME_PRODUCT_ID, "quantity": 1001}]),
        only_field="items",
    ),
    Bad(
        "order-unknown-field-with-nul",
        "POST",
        "/orders/",
        "customer",
        body=_json({**ORDER, "note": "a\u0000b"}),
        only_field="note",
    ),
]


def _surrogate_order(where: str) -> bytes:
    if where == "payment-method":
        return b'{"items": [{"product_id": 1, "quantity": 1}], "payment_method": "tok_\\ud800"}'
    if where == "a-key":
        return b'{"items": [{"product_id": 1, "quantity": 1}], "payment_method": "tok_visa", "\\udfff": 1}'
    return b'{"items": [{"product_id": 1, "quantity": 1}], "payment_method": "tok_visa", "note": "\\ud83d"}'


def idempotency_cases() -> list:
    cases = []
    for where, only_field in (("payment-method", "payment_method"), ("a-key", "body"), ("unknown-field", "note")):
        for keyed in (False, True):
            headers = (("Idempotency-Key", f"surrogate-{where}"),) if keyed else ()
            cases.append(
                Bad(
                    f"order-lone-surrogate-in-{where}-{'with' if keyed else 'without'}-idempotency-key",
                    "POST",
                    "/orders/",
                    "customer",
                    body=_surrogate_order(where),
                    headers=headers,
                    only_field=only_field,
                ).param()
            )
    cases.append(
        Bad(
            "order-nul-with-idempotency-key",
            "POST",
            "/orders/",
            "customer",
            body=_json({**ORDER, "payment_method": "tok\u0000visa"}),
            headers=(("Idempotency-Key", "nul-in-body"),),
            only_field="payment_method",
        ).param()
    )
    cases.append(
        Bad(
            "order-idempotency-key-300-chars",
            "POST",
            "/orders/",
            "customer",
            body=_json(ORDER),
            headers=(("Idempotency-Key", "k" * 300),),
            only_field="Idempotency-Key",
        ).param()
    )
    return cases


LIST_ENDPOINTS = [
    ("products", "/catalog/products/", "anonymous"),
    ("products-as-admin", "/catalog/products/", "admin"),
    ("orders", "/orders/", "customer"),
    ("orders-as-admin", "/orders/", "admin"),
    ("payments", "/payments/", "customer"),
    ("payments-as-admin", "/payments/", "admin"),
    ("notifications", "/notifications/", "customer"),
    ("notifications-as-admin", "/notifications/", "admin"),
]
PAGING = [
    ("limit-negative", "limit=-1", "limit"),
    ("limit-zero", "limit=0", "limit"),
    ("limit-1e20", f"limit={10**20}", "limit"),
    ("limit-abc", "limit=abc", "limit"),
    ("limit-fraction", "limit=1.5", "limit"),
    ("offset-negative", "offset=-5", "offset"),
    ("offset-1e20", f"offset={10**20}", "offset"),
    ("offset-abc", "offset=abc", "offset"),
    ("offset-nul", "offset=%00", "offset"),
]
TEN_THOUSAND_IDS = ",".join(str(number) for number in range(1, 10_001))


def query_cases() -> list:
    cases = [
        Bad(f"{name}-{paging_id}", "GET", f"{path}?{query}", caller, content_type=None, only_field=parameter).param()
        for name, path, caller in LIST_ENDPOINTS
        for paging_id, query, parameter in PAGING
    ]
    cases += [
        Bad(
            f"products-search-nul-as-{caller}",
            "GET",
            "/catalog/products/?search=%00",
            caller,
            content_type=None,
            only_field="search",
        ).param()
        for caller in ("anonymous", "customer", "admin")
    ]
    cases += [
        Bad(
            "orders-customer-id-nul-as-admin",
            "GET",
            "/orders/?customer_id=%00",
            "admin",
            content_type=None,
            only_field="customer_id",
        ).param(),
        Bad(
            "orders-customer-id-nul-as-customer",
            "GET",
            "/orders/?customer_id=%00",
            "customer",
            content_type=None,
            only_field="customer_id",
        ).param(),
        Bad(
            "products-search-unencoded-utf8",
            "GET",
            unencoded("/catalog/products/?search=café"),
            content_type=None,
            error="bad_request",
        ).param(),
        Bad(
            "products-search-unencoded-byte-0xff",
            "GET",
            "/catalog/products/?search=\xff",
            "customer",
            content_type=None,
            error="bad_request",
        ).param(),
        Bad(
            "products-search-over-8k",
            "GET",
            "/catalog/products/?search=" + "x" * 9000,
            content_type=None,
            status=414,
            error="uri_too_long",
        ).param(),
    ]
    prices = "/catalog/products/prices/?ids="
    cases += [
        Bad(f"prices-{case_id}", "GET", prices + ids, content_type=None, only_field="ids").param()
        for case_id, ids in [
            ("ids-abc", "abc"),
            ("ids-empty", ""),
            ("ids-only-commas", ",,"),
            ("ids-empty-entry", "1,,2"),
            ("ids-trailing-comma", "1,2,"),
            ("ids-zero", "0"),
            ("ids-negative", "-1"),
            ("ids-fraction", "1.5"),
            ("ids-nul", "1%002"),
            ("ids-101", ",".join(map(str, range(1, 102)))),
        ]
    ]
    cases += [
        Bad("prices-no-ids", "GET", "/catalog/products/prices/", content_type=None, only_field="ids").param(),
        Bad(
            "prices-10000-ids", "GET", prices + TEN_THOUSAND_IDS, content_type=None, status=414, error="uri_too_long"
        ).param(),
    ]
    return cases


NO_ORDER = "00000000-0000-4000-8000-000000000000"
PATH_CASES = [
    Bad(
        "order-id-not-a-uuid",
        "GET",
        "/orders/not-a-uuid/",
        "customer",
        content_type=None,
        status=404,
        error="not_found",
    ),
    Bad(
        "order-id-not-a-uuid-as-admin",
        "GET",
        "/orders/not-a-uuid/",
        "admin",
        content_type=None,
        status=404,
        error="not_found",
    ),
    Bad(
        "order-id-of-no-order",
        "GET",
        f"/orders/{NO_ORDER}/",
        "customer",
        content_type=None,
        status=404,
        error="not_found",
    ),
    Bad(
        "order-id-of-no-order-as-admin",
        "GET",
        f"/orders/{NO_ORDER}/",
        "admin",
        content_type=None,
        status=404,
        error="not_found",
    ),
    Bad(
        "order-id-of-another-customer",
        "GET",
        "/orders/{other_order_id}/",
        "customer",
        content_type=None,
        status=404,
        error="not_found",
    ),
    Bad(
        "order-id-with-nul",
        "GET",
        f"/orders/{NO_ORDER}%00/",
        "customer",
        content_type=None,
        status=400,
        error="bad_request",
    ),
    Bad("product-id-huge", "GET", f"/catalog/products/{10**30}/", content_type=None, status=404, error="not_found"),
    Bad(
        "product-id-huge-as-admin",
        "PATCH",
        f"/catalog/products/{10**30}/",
        "admin",
        body=b"{}",
        status=404,
        error="not_found",
    ),
    Bad(
        "product-id-2-to-the-63", "GET", f"/catalog/products/{2**63}/", content_type=None, status=404, error="not_found"
    ),
    Bad("product-id-negative", "GET", "/catalog/products/-1/", content_type=None, status=404, error="not_found"),
    Bad(
        "order-id-unencoded-utf8",
        "GET",
        unencoded("/orders/café/"),
        "customer",
        content_type=None,
        status=400,
        error="bad_request",
    ),
    Bad("product-id-nul", "GET", "/catalog/products/%00/", content_type=None, status=400, error="bad_request"),
    Bad("product-id-with-nul", "GET", "/catalog/products/1%00/", content_type=None, status=400, error="bad_request"),
    Bad(
        "payment-id-not-a-uuid",
        "GET",
        "/payments/not-a-uuid/",
        "customer",
        content_type=None,
        status=404,
        error="not_found",
    ),
    Bad("orders-delete", "DELETE", "/orders/", "customer", content_type=None, status=405, error="method_not_allowed"),
]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


SOME_CLAIMS = b'{"sub": "someone"}'


def forged(header: bytes) -> str:
    """A token with this header (raw JSON bytes), some claims and no valid signature."""
    return f"{_b64(header)}.{_b64(SOME_CLAIMS)}.{_b64(b'not a signature')}"


TOKENS = [
    ("kid-with-nul", forged(b'{"alg": "RS256", "typ": "JWT", "kid": "key\\u0000id"}'), 401),
    ("kid-with-raw-nul", forged(b'{"alg": "RS256", "kid": "key\x00id"}'), 401),
    ("kid-lone-surrogate", forged(b'{"alg": "RS256", "kid": "\\ud800"}'), 401),
    ("kid-not-text", forged(b'{"alg": "RS256", "kid": {"a": 1}}'), 401),
    ("kid-over-8k", forged(b'{"alg": "RS256", "kid": "' + b"k" * 8000 + b'"}'), 431),
    ("alg-none", forged(b'{"alg": "none", "kid": "k"}'), 401),
    ("alg-hs256", forged(b'{"alg": "HS256", "kid": "k"}'), 401),
    ("header-nested-1400-deep", forged(b"[" * 1400 + b"]" * 1400), 401),
    ("header-not-json", forged(b"{"), 401),
    ("not-a-jwt", "abc", 401),
]
TOKEN_ENDPOINTS = [("me", "/auth/me/"), ("orders", "/orders/"), ("products", "/catalog/products/")]


def token_cases() -> list:
    cases = []
    for token_id, token, status in TOKENS:
        for name, path in TOKEN_ENDPOINTS:
            error = "not_authenticated" if status == 401 else "headers_too_large"
            cases.append(
                Bad(
                    f"{name}-token-{token_id}",
                    "GET",
                    path,
                    content_type=None,
                    headers=(("Authorization", f"Bearer {token}"),),
                    status=status,
                    error=error,
                ).param()
            )
    cases += [
        Bad(f"{name}-without-a-token", "GET", path, content_type=None, status=401, error="not_authenticated").param()
        for name, path in [
            ("me", "/auth/me/"),
            ("orders", "/orders/"),
            ("payments", "/payments/"),
            ("notifications", "/notifications/"),
        ]
    ]
    cases += [
        Bad(
            "me-authorization-basic",
            "GET",
            "/auth/me/",
            content_type=None,
            headers=(("Authorization", "Basic YQ=="),),
            status=401,
            error="not_authenticated",
        ).param(),
        Bad(
            "me-token-not-ascii",
            "GET",
            "/auth/me/",
            content_type=None,
            headers=(("Authorization", "Bearer \xe9"),),
            status=401,
            error="not_authenticated",
        ).param(),
    ]
    return cases


def header_cases() -> list:
    """Headers a careless client gets wrong: the gateway, not the web server behind it, answers."""
    order = _json(ORDER)
    return [
        Bad(
            "order-two-content-types",
            "POST",
            "/orders/",
            "customer",
            body=b"{}",
            headers=(("Content-Type", "text/plain"),),
            status=415,
            error="unsupported_media_type",
        ).param(),
        Bad(
            "order-client-claims-https-by-x-forwarded-ssl",
            "POST",
            "/orders/",
            "customer",
            body=b"{}",
            headers=(("X-Forwarded-Ssl", "on"),),
            error="invalid",
        ).param(),
        Bad(
            "order-client-claims-https-by-x-forwarded-protocol",
            "POST",
            "/orders/",
            "customer",
            body=b"{}",
            headers=(("X-Forwarded-Protocol", "ssl"),),
            error="invalid",
        ).param(),
        Bad(
            "order-control-character-in-idempotency-key",
            "POST",
            "/orders/",
            "customer",
            body=order,
            headers=(("Idempotency-Key", "key\x01"),),
        ).param(),
    ]


ALL_BAD = (
    body_cases()
    + field_cases()
    + [case.param() for case in ORDER_CASES]
    + idempotency_cases()
    + query_cases()
    + [case.param() for case in PATH_CASES]
    + token_cases()
    + header_cases()
)


# ---------------------------------------------------------------------------------------
# Fixtures and checks.


@pytest.fixture(scope="module")
def client(runtime: Runtime) -> HostileClient:
    return HostileClient(runtime.gateway_url(), Pacer(runtime.stack.gateway.rate_limits))


@pytest.fixture(scope="module")
def tokens(shop) -> dict[str, str | None]:
    return {"anonymous": None, "customer": shop.new_customer().token, "admin": shop.admin.token}


@pytest.fixture(scope="module")
def placeholders(shop) -> dict[str, str]:
    other_customer = shop.new_customer()
    return {"product_id": str(shop.product_id), "other_order_id": shop.place(other_customer)["id"]}


def send(client: HostileClient, tokens: dict, placeholders: dict, case: Bad) -> Reply:
    return client.send(
        case.method,
        case.path.format(**placeholders),
        token=tokens[case.caller],
        body=case.body,
        content_type=case.content_type,
        headers=list(case.headers),
        chunked=case.chunked,
    )


def assert_quick_json(reply: Reply) -> None:
    assert reply.seconds < DEADLINE_SECONDS, f"too slow: {reply.describe()}"
    assert reply.media_type == JSON, f"not JSON: {reply.describe()}"


def assert_error_shape(reply: Reply) -> dict:
    body = reply.json()
    assert isinstance(body, dict), reply.describe()
    assert isinstance(body.get("error"), str) and isinstance(body.get("detail"), str), reply.describe()
    assert isinstance(body.get("fields", {}), dict), reply.describe()
    assert set(body) <= {"error", "detail", "fields"}, reply.describe()
    return body


@pytest.mark.parametrize("case", ALL_BAD)
def test_bad_input_gets_a_quick_4xx_in_the_json_error_shape(client, tokens, placeholders, case):
    reply = send(client, tokens, placeholders, case)

    assert reply.status == case.status, reply.describe()
    assert_quick_json(reply)
    body = assert_error_shape(reply)
    if case.error:
        assert body["error"] == case.error, reply.describe()
    if case.only_field:
        assert set(body.get("fields", {})) == {case.only_field}, reply.describe()


# ---------------------------------------------------------------------------------------
# Odd but not wrong: what a production API answers instead.


def _ok(reply: Reply, status: int = 200) -> dict:
    assert reply.status == status, reply.describe()
    assert_quick_json(reply)
    return reply.json()


def test_an_order_ignores_what_only_the_catalog_and_the_token_decide(client, tokens, shop):
    sent = {
        "items": [{"product_id": shop.product_id, "quantity": 2, "unit_price": "0.01"}],
        "payment_method": "tok_visa",
        "status": "CONFIRMED",
        "total": "0.00",
        "customer_id": "someone-else",
        "currency": "XXX",
    }

    order = _ok(client.send("POST", "/orders/", token=tokens["customer"], body=_json(sent), content_type=JSON), 201)

    me = _ok(client.send("GET", "/auth/me/", token=tokens["customer"]))
    price = shop.admin.request("GET", f"/catalog/products/{shop.product_id}/")["price"]
    assert (order["status"], order["customer_id"]) == ("PENDING", me["id"])
    assert order["items"][0]["unit_price"] == price
    assert (order["total"], order["currency"]) == (str(Decimal(price) * 2), "EUR")


def test_a_refused_order_leaves_its_idempotency_key_free(client, tokens, shop):
    key = ("Idempotency-Key", f"refused-then-placed-{uuid.uuid4()}")
    customer = tokens["customer"]
    refused = client.send(
        "POST", "/orders/", token=customer, body=_surrogate_order("payment-method"), content_type=JSON, headers=[key]
    )
    assert refused.status == 400, refused.describe()

    valid = _json({"items": [{"product_id": shop.product_id, "quantity": 1}], "payment_method": "tok_visa"})
    placed = _ok(client.send("POST", "/orders/", token=customer, body=valid, content_type=JSON, headers=[key]), 201)
    replayed = _ok(client.send("POST", "/orders/", token=customer, body=valid, content_type=JSON, headers=[key]), 201)

    assert replayed["id"] == placed["id"]


def test_a_registration_cannot_choose_its_roles(client):
    sent = {
        "email": f"roles-{uuid.uuid4().hex[:12]}@ecomlab.test",
        "password": "correct horse battery staple",
        "name": "Ambitious Customer",
        "roles": ["admin"],
        "is_admin": True,
    }

    user = _ok(client.send("POST", "/auth/register/", body=_json(sent), content_type=JSON), 201)

    assert user["roles"] == ["customer"]


def test_a_login_ignores_unknown_fields(client):
    sent = {"email": f"login-{uuid.uuid4().hex[:12]}@ecomlab.test", "password": "correct horse battery staple"}
    _ok(client.send("POST", "/auth/register/", body=_json({**sent, "name": "Remembered"}), content_type=JSON), 201)

    tokens = _ok(client.send("POST", "/auth/token/", body=_json({**sent, "remember_me": True}), content_type=JSON))

    assert tokens["token_type"] == "Bearer"


def test_a_product_ignores_read_only_and_unknown_fields_and_may_be_free(client, tokens):
    sent = {
        "sku": f"FREE-{uuid.uuid4().hex[:8]}",
        "name": "Free sample",
        "price": "0.00",
        "currency": "EUR",
        "id": 999_999,
        "active": False,
        "colour": "blue",
    }

    product = _ok(
        client.send("POST", "/catalog/products/", token=tokens["admin"], body=_json(sent), content_type=JSON), 201
    )

    assert (product["price"], product["active"]) == ("0.00", True)
    assert product["id"] != 999_999 and "colour" not in product


def test_an_empty_patch_changes_nothing(client, tokens, shop):
    before = shop.admin.request("GET", f"/catalog/products/{shop.product_id}/")

    after = _ok(client.send("PATCH", f"/catalog/products/{shop.product_id}/", token=tokens["admin"], content_type=None))

    assert {key: after[key] for key in ("sku", "name", "price", "currency")} == {
        key: before[key] for key in ("sku", "name", "price", "currency")
    }


def test_provider_settings_take_whole_numbers_for_a_rate(client, tokens):
    settings = _ok(
        client.send(
            "PUT",
            "/payments/provider/",
            token=tokens["admin"],
            body=_json({"latency_ms": 0, "failure_rate": 0}),
            content_type=JSON,
        )
    )

    assert (settings["latency_ms"], settings["failure_rate"]) == (0, 0.0)


def test_a_page_past_the_end_is_empty(client):
    page = _ok(client.send("GET", "/catalog/products/?limit=1&offset=1000000"))

    assert page["results"] == [] and page["count"] >= 1
