"""One JSON error shape for every failure a client sees:

    {"error": "<code>", "detail": "<sentence>", "fields": {"<field>": ["<problem>"]}}

"fields" is present when specific fields are at fault ("body" for the request as a whole).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

_CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "not_acceptable",
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: "too_large",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


# What to say when the exception itself says nothing (a bare `raise Http404`).
_DEFAULT_DETAILS = {
    status.HTTP_404_NOT_FOUND: "No such resource.",
    status.HTTP_403_FORBIDDEN: "You may not do this.",
}


def error_body(code: str, detail: str, fields: dict | None = None) -> dict:
    body: dict[str, object] = {"error": code, "detail": detail}
    if fields:
        body["fields"] = fields
    return body


# How long a client should wait before trying again when this service, or one it depends
# on, is unavailable for now.
RETRY_AFTER_SECONDS = 5


def exception_handler(exc, context):
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The service's own database is down or unreachable: a temporary condition of this
        # service, not a bug, so 503 and when to retry rather than a 500.
        return Response(
            error_body("service_unavailable", "This service's database is unavailable; retry shortly."),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("too_large", "Request body is too large."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, exceptions.ParseError):
        return Response(
            error_body("malformed_json", "Request body is not valid JSON.", {"body": [str(exc.detail)]}),
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's JSON 500 handler answers
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            fields = {key: _messages(value) for key, value in detail.items()}
            non_field = fields.pop("non_field_errors", None)
            if non_field:
                fields["body"] = non_field
        else:
            fields = {"body": _messages(detail)}
        response.data = error_body("invalid", "The request has invalid fields.", fields)
        return response
    if response.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
        response.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))  # unavailable for now: say when to retry
    code = getattr(exc, "default_code", None) or _CODES.get(response.status_code, "error")
    message = exc.detail if isinstance(getattr(exc, "detail", None), str) else str(getattr(exc, "detail", exc))
    response.data = error_body(
        _CODES.get(response.status_code, code),
        str(message) or _DEFAULT_DETAILS.get(response.status_code, "The request failed."),
    )
    return response


def _messages(value):
    if isinstance(value, list):
        if all(not isinstance(item, (dict, list)) for item in value):
            return [str(item) for item in value]
        return [_messages(item) for item in value]
    if isinstance(value, dict):
        return {key: _messages(item) for key, item in value.items()}
    return [str(value)]


# Django-level handlers, for errors raised outside DRF views (unknown URLs, crashes).


def not_found(request, exception=None):
    return JsonResponse(error_body("not_found", "No such resource."), status=404)


def bad_request(request, exception=None):
    return JsonResponse(error_body("bad_request", "The request could not be understood."), status=400)


def server_error(request):
    return JsonResponse(
        error_body("internal_error", "Something went wrong on our side; it has been logged."),
        status=500,
    )
