"""Who is calling: bearer-token authentication for DRF and the role permissions."""

from __future__ import annotations

from dataclasses import dataclass, field

from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from chassis.tokens import InvalidToken, verify


@dataclass(frozen=True)
class TokenUser:
    """The caller, as its verified access token describes it. Services keep no user table."""

    id: str
    email: str = ""
    name: str = ""
    roles: tuple[str, ...] = field(default_factory=tuple)
    is_authenticated: bool = True

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @classmethod
    def from_claims(cls, claims: dict) -> "TokenUser":
        roles = claims.get("roles") or []
        return cls(
            id=str(claims["sub"]),
            email=str(claims.get("email", "")),
            name=str(claims.get("name", "")),
            roles=tuple(str(role) for role in roles) if isinstance(roles, list) else (),
        )


class JWTAuthentication(BaseAuthentication):
    def verify_token(self, token: str) -> dict:
        """Claims of a valid token, verified against auth's published keys."""
        return verify(token)

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != b"bearer" or len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization header must be 'Bearer <token>'.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Malformed token: a token is ASCII text.") from None
        try:
            claims = self.verify_token(token)
        except InvalidToken as exc:
            raise exceptions.AuthenticationFailed(str(exc) or "Invalid token.") from None
        return TokenUser.from_claims(claims), claims

    def authenticate_header(self, request):
        return 'Bearer realm="ecomlab"'


class IsAdmin(permissions.BasePermission):
    message = "This action needs the admin role."

    def has_permission(self, request, view):
        return bool(getattr(request.user, "is_admin", False))


class IsAdminOrReadOnly(permissions.BasePermission):
    message = "This action needs the admin role."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(getattr(request.user, "is_admin", False))
