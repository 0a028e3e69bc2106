"""The OpenAPI schema every service serves, made to tell the truth about the chassis:
lists come in the paginated envelope, anonymous reads are marked as needing no token, and
each operation documents the error answers it can really give, in the one error shape of
chassis.errors. Schemathesis checks each answer of a running stack against it."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

from chassis.authentication import IsAdminOrReadOnly
from chassis.pagination import ListApi


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "chassis.authentication.JWTAuthentication"
    match_subclasses = True  # auth verifies with its own keys through a subclass
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx and 5xx answer (chassis.errors.error_body)."""

    error = serializers.CharField(help_text="A stable code a program can test, like invalid or not_found.")
    detail = serializers.CharField(help_text="What went wrong, in a sentence for a person.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text='Problems per field ("body" for the request as a whole); present when fields are at fault.',
    )


# Why each error answer can come; every operation gets those of its kind (see error_codes).
ERROR_DESCRIPTIONS = {
    400: "The request has invalid fields or parameters, or text no service accepts (a NUL character).",
    401: "No valid access token, or refused credentials.",
    403: "The token is valid but its holder may not do this.",
    404: "No such resource, or none this caller may see.",
    413: "The request body is too large.",
    415: "The request body is not JSON.",
    429: "Too many requests: the gateway's rate limit or a login back-off. Retry-After says when to try again.",
    503: "This service's database, or a service it depends on, is unavailable for now. "
    "Retry-After says when to try again.",
}


def error_response(description: str) -> OpenApiResponse:
    """An error answer an operation gives beyond those of its kind, for @extend_schema."""
    return OpenApiResponse(ErrorSerializer, description=description)


RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}},
}
WITH_BODY = {"POST", "PUT", "PATCH"}


class AutoSchema(openapi.AutoSchema):
    def get_response_serializers(self):
        if isinstance(self.view, ListApi) and self.method == "GET":
            return self.view.serializer_class(many=True)  # paged by the view's pagination_class
        return super().get_response_serializers()

    def get_auth(self):
        auths = super().get_auth()
        if auths and {} not in auths and self._anonymous_allowed():
            auths.append({})  # a token is optional here: without one the caller is anonymous
        return auths

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(ErrorSerializer, str(code))
                responses[str(code)]["description"] = ERROR_DESCRIPTIONS[code]
        for retry_later_code in ("429", "503"):
            if retry_later_code in responses:
                responses[retry_later_code]["headers"] = RETRY_AFTER
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_codes(self) -> list[int]:
        codes = [400, 429, 503]  # on any request: a NUL in the URL, the gateway's limit, the database
        if self.view.get_authenticators():
            codes.append(401)
        if not self._anonymous_allowed() and self._may_forbid():
            codes.append(403)
        if "{" in self.path:
            codes.append(404)
        if self.method in WITH_BODY:
            codes += [413, 415]
        return codes

    def _anonymous_allowed(self) -> bool:
        return all(self._lets_anonymous_in(permission) for permission in self.view.get_permissions())

    def _lets_anonymous_in(self, permission) -> bool:
        if isinstance(permission, permissions.AllowAny):
            return True
        return isinstance(permission, IsAdminOrReadOnly) and self.method in permissions.SAFE_METHODS

    def _may_forbid(self) -> bool:
        """Any permission beyond "has a valid token" can refuse a valid token with 403."""
        return any(
            not isinstance(permission, (permissions.IsAuthenticated, permissions.AllowAny))
            for permission in self.view.get_permissions()
        )
