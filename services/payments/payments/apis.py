"""HTTP endpoints of payments: customers read their own payments, admins read all and
set how the simulated provider behaves."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from chassis.authentication import IsAdmin
from chassis.pagination import ListApi
from payments import selectors, services
from payments.serializers import PaymentSerializer, ProviderChargeSerializer, ProviderSettingsSerializer


class PaymentListApi(ListApi):
    serializer_class = PaymentSerializer

    @extend_schema(operation_id="payment_list")
    def get(self, request):
        return self.page_of(selectors.payment_list(caller=request.user))


class PaymentDetailApi(APIView):
    serializer_class = PaymentSerializer

    @extend_schema(operation_id="payment_get")
    def get(self, request, payment_id):
        payment = selectors.payment_get(caller=request.user, payment_id=payment_id)
        if payment is None:
            raise Http404
        return Response(PaymentSerializer(payment).data)


class ProviderChargeListApi(ListApi):
    """GET /payments/provider/charges/[?reference=ORDER_ID]: the provider's own ledger, the
    money actually taken, which is what "charged once" is checked against."""

    permission_classes = [IsAdmin]
    serializer_class = ProviderChargeSerializer

    @extend_schema(
        operation_id="provider_charge_list",
        parameters=[
            OpenApiParameter("reference", str, description="Only the charges made for this reference (an order id)."),
        ],
    )
    def get(self, request):
        reference = request.query_params.get("reference") or None
        return self.page_of(selectors.provider_charge_list(reference=reference))


class ProviderSettingsApi(APIView):
    """GET/PUT/PATCH /payments/provider/: latency and failure rate, for scenarios."""

    permission_classes = [IsAdmin]
    serializer_class = ProviderSettingsSerializer

    def get(self, request):
        return Response(ProviderSettingsSerializer(selectors.provider_settings_get()).data)

    def put(self, request):
        return self._update(request, partial=False)

    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        serializer = ProviderSettingsSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        updated = services.provider_settings_update(**serializer.validated_data)
        return Response(ProviderSettingsSerializer(updated).data)
