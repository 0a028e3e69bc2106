"""HTTP endpoints of auth: register, log in, refresh, who am I, and the public key set."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.errors import InvalidCredentials, InvalidRefreshToken, LoginLocked
from accounts.serializers import (
    LoginSerializer,
    RefreshSerializer,
    RegisterSerializer,
    TokenPairSerializer,
    UserSerializer,
)
from chassis.schema import error_response


def _token_response(pair: services.TokenPair) -> Response:
    return Response(TokenPairSerializer({**asdict(pair), "token_type": "Bearer"}).data)


class PublicApi(APIView):
    """Callers of these endpoints have no token yet; a stray Authorization header is ignored."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        # Without it DRF would turn a refused login into 403; refused credentials are a 401.
        return 'Bearer realm="ecomlab"'


class RegisterApi(PublicApi):
    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer})
    def post(self, request):
        payload = RegisterSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            user = services.user_register(**payload.validated_data)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenApi(PublicApi):
    @extend_schema(
        request=LoginSerializer,
        responses={
            200: TokenPairSerializer,
            401: error_response("Wrong email or password, or a disabled account."),
        },
    )
    def post(self, request):
        credentials = LoginSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        try:
            pair = services.session_create(**credentials.validated_data)
        except InvalidCredentials as error:
            raise exceptions.AuthenticationFailed(str(error)) from None
        except LoginLocked as locked:
            throttled = exceptions.Throttled(detail=str(locked))  # wait set after: DRF would reword the detail
            throttled.wait = locked.retry_after  # becomes Retry-After
            raise throttled from None
        return _token_response(pair)


class TokenRefreshApi(PublicApi):
    @extend_schema(
        request=RefreshSerializer,
        responses={
            200: TokenPairSerializer,
            401: error_response("The refresh token is invalid, expired or already used."),
        },
    )
    def post(self, request):
        payload = RefreshSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            pair = services.session_refresh(refresh_token=payload.validated_data["refresh"])
        except InvalidRefreshToken as error:
            raise exceptions.AuthenticationFailed(str(error)) from None
        return _token_response(pair)


class MeApi(APIView):
    @extend_schema(responses={200: UserSerializer})
    def get(self, request):
        user = selectors.user_get(user_id=request.user.id)
        if user is None:
            raise exceptions.AuthenticationFailed("This account no longer exists or is disabled.")
        return Response(UserSerializer(user).data)


class JwksApi(PublicApi):
    @extend_schema(
        responses={200: inline_serializer("Jwks", {"keys": serializers.ListField(child=serializers.DictField())})}
    )
    def get(self, request):
        # Served keys must never be an empty set that services would then cache.
        services.signing_key_ensure_active()
        response = Response({"keys": [key.public_jwk for key in selectors.signing_key_published()]})
        patch_cache_control(response, public=True, max_age=settings.JWKS_CACHE_MAX_AGE)
        return response
