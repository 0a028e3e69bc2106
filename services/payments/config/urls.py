"""URL map of the payments service: public API and schema under /payments/, health and metrics at the root."""

# Django reads the error handlers from this module.
from chassis.urls import handler400, handler404, handler500, service_urlpatterns  # noqa: F401

urlpatterns = service_urlpatterns("payments", "payments.urls")
