"""URL map of the notifications service: public API under /notifications/, health and metrics at the root."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

import chassis.health
import chassis.messaging.urls

urlpatterns = [
    path("notifications/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("notifications/", include("notifications.urls")),
    path("", include(chassis.health.urlpatterns)),
    path("", include(chassis.messaging.urls.urlpatterns)),
]

handler400 = "chassis.errors.bad_request"
handler404 = "chassis.errors.not_found"
handler500 = "chassis.errors.server_error"
