"""HTTP endpoints of orders: place one (idempotently), list them, read one."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from chassis.http import UpstreamUnavailable
from chassis.pagination import ListApi, Pagination
from chassis.schema import error_response
from orders import selectors, services
from orders.idempotent_requests import IdempotentRequest
from orders.serializers import OrderCreateSerializer, OrderSerializer


class CatalogUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "catalog_unavailable"
    default_detail = "The catalog cannot price the order right now; try again shortly."


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except DjangoValidationError:
        return False
    return True


class OrderPagination(Pagination):
    max_limit = 100


class OrderListApi(ListApi):
    serializer_class = OrderSerializer
    pagination_class = OrderPagination

    @extend_schema(
        operation_id="order_list",
        parameters=[OpenApiParameter("customer_id", str, description="Admins only: one customer's orders.")],
    )
    def get(self, request):
        customer_id = request.user.id
        if request.user.is_admin:
            customer_id = request.query_params.get("customer_id") or None
        return self.page_of(selectors.order_list(customer_id=customer_id))

    @extend_schema(
        operation_id="order_create",
        request=OrderCreateSerializer,
        responses={
            201: OrderSerializer,
            403: error_response("The access token carries no valid email address."),
            409: error_response("A request with this Idempotency-Key is still being processed."),
            422: error_response("This Idempotency-Key was already used with a different request."),
            503: error_response("The catalog cannot price the order right now."),
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Any text up to 255 characters; a retry with the same key and body gets the first "
                "answer again (with Idempotent-Replayed: true) instead of a second order.",
            )
        ],
    )
    def post(self, request):
        idempotency = IdempotentRequest(request)
        serializer = OrderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not _is_email(request.user.email):
            raise PermissionDenied("Your access token carries no valid email address; sign in again.")
        replay = idempotency.claim()
        if replay is not None:
            return replay
        try:
            body = self._place(request, serializer.validated_data, idempotency)
        except BaseException:
            # Only a placed order is remembered: after a refusal the client may fix and retry.
            idempotency.release()
            raise
        return Response(body, status=status.HTTP_201_CREATED)

    def _place(self, request, placement: dict, idempotency: IdempotentRequest) -> dict:
        try:
            quote = services.order_quote(items=placement["items"])
        except services.InvalidOrder as exc:
            raise ValidationError(exc.fields) from None
        except UpstreamUnavailable as exc:
            raise CatalogUnavailable(
                f"The catalog cannot price the order right now ({exc.reason}); try again shortly."
            ) from None
        with transaction.atomic():
            placed = services.order_create(
                customer_id=request.user.id,
                customer_email=request.user.email,
                quote=quote,
                payment_method=placement["payment_method"],
            )
            body = OrderSerializer(placed.as_read()).data
            idempotency.complete(status_code=status.HTTP_201_CREATED, body=body)
        return body


class OrderDetailApi(APIView):
    serializer_class = OrderSerializer

    @extend_schema(operation_id="order_get")
    def get(self, request, order_id: uuid.UUID):
        owner = None if request.user.is_admin else request.user.id
        order = selectors.order_get(order_id=order_id, customer_id=owner)
        if order is None:
            raise Http404
        return Response(OrderSerializer(order).data)
