"""Correlation ids: one id per flow, taken from the gateway's X-Request-ID (or made here),
kept in a context variable so log lines, outbound calls and published events carry it."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

REQUEST_HEADER = "HTTP_X_REQUEST_ID"
RESPONSE_HEADER = "X-Request-ID"
# Ids come from clients: accept only short, printable tokens so a log line cannot be forged.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

_correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


def get_correlation_id() -> str | None:
    return _correlation_id.get()


def new_correlation_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def correlation_scope(correlation_id: str | None) -> Iterator[str]:
    """Run a block (a request, a consumed message) under one correlation id."""
    value = correlation_id if correlation_id and _VALID_ID.match(correlation_id) else None
    current = value or new_correlation_id()
    token = _correlation_id.set(current)
    try:
        yield current
    finally:
        _correlation_id.reset(token)


class CorrelationIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with correlation_scope(request.META.get(REQUEST_HEADER)) as correlation_id:
            request.correlation_id = correlation_id
            response = self.get_response(request)
            response[RESPONSE_HEADER] = correlation_id
            return response


class CorrelationIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = get_correlation_id()
        return True


def outbound_headers() -> dict[str, str]:
    """Headers that carry the current flow's id to another service."""
    correlation_id = get_correlation_id()
    return {RESPONSE_HEADER: correlation_id} if correlation_id else {}
