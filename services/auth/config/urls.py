"""URL map of the auth service: public API under /auth/, health at the root."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

import chassis.health

urlpatterns = [
    path("auth/", include("accounts.urls")),
    path("auth/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(chassis.health.urlpatterns)),
]

handler400 = "chassis.errors.bad_request"
handler404 = "chassis.errors.not_found"
handler500 = "chassis.errors.server_error"
