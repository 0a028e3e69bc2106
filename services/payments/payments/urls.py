from django.urls import path

from payments import apis

urlpatterns = [
    path("", apis.PaymentListApi.as_view(), name="payment-list"),
    path("provider/", apis.ProviderSettingsApi.as_view(), name="provider-settings"),
    path("provider/charges/", apis.ProviderChargeListApi.as_view(), name="provider-charge-list"),
    path("<uuid:payment_id>/", apis.PaymentDetailApi.as_view(), name="payment-detail"),
]
