"""URL map of the orders service: public API under /orders/, health and metrics at the root."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

import chassis.health
import chassis.messaging.urls

urlpatterns = [
    path("orders/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("orders/", include("orders.urls")),
    path("", include(chassis.health.urlpatterns)),
    path("", include(chassis.messaging.urls.urlpatterns)),
]

handler400 = "chassis.errors.bad_request"
handler404 = "chassis.errors.not_found"
handler500 = "chassis.errors.server_error"
