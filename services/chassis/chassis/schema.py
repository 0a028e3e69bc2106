"""OpenAPI description of the chassis bearer-token authentication, for drf-spectacular."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "chassis.authentication.JWTAuthentication"
    match_subclasses = True  # auth verifies with its own keys through a subclass
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
