"""Gunicorn workers that answer the requests gunicorn refuses itself in the JSON error shape.

Gunicorn refuses some requests before Django sees them (a control character in a header
value, a request line or headers over its limits, a chunked body it cannot read) and
writes an HTML page for them. It offers no hook for that page: every refusal goes through
`gunicorn.util.write_error`. These workers keep gunicorn's decision (status, reason,
message) and replace only how it is written, once per worker process, after the fork.

    gunicorn config.wsgi:application --worker-class chassis.web_server.SyncWorker
"""

from __future__ import annotations

import json

from gunicorn import util
from gunicorn.workers import base, sync

# The codes of chassis.errors for the statuses gunicorn refuses with (this module must not
# import Django: gunicorn loads the worker class before the application).
_CODES = {
    400: "invalid",
    403: "forbidden",
    414: "uri_too_long",
    417: "expectation_failed",
    431: "headers_too_large",
    501: "not_implemented",
}
_DETAIL_LIMIT = 200  # the message may quote the client's header; keep the answer small


def json_error_response(status: int, reason: str, message: str) -> bytes:
    """The whole HTTP answer: gunicorn closes the connection after a refusal."""
    code = _CODES.get(status, "internal_error" if status >= 500 else "invalid")
    detail = "The server could not read this request" + (f": {message[:_DETAIL_LIMIT]}" if message else "") + "."
    body = json.dumps({"error": code, "detail": detail}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    util.write_nonblock(sock, json_error_response(status_int, reason, mesg))


class JsonErrorsMixin(base.Worker):
    """Put before any gunicorn worker class among the bases to have it refuse in JSON."""

    def init_process(self) -> None:
        util.write_error = write_json_error  # see the module's docstring
        super().init_process()


class SyncWorker(JsonErrorsMixin, sync.SyncWorker):
    """gunicorn's default worker, with JSON refusals."""
