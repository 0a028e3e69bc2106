"""URL map of the orders API, mounted under /orders/."""

from django.urls import path

from orders import apis

urlpatterns = [
    path("", apis.OrderListApi.as_view(), name="order-list"),
    path("<uuid:order_id>/", apis.OrderDetailApi.as_view(), name="order-detail"),
]
