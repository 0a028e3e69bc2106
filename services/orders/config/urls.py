"""URL map of the orders service: public API and schema under /orders/, health and metrics at the root."""

# Django reads the error handlers from this module.
from chassis.urls import handler400, handler404, handler500, service_urlpatterns  # noqa: F401

urlpatterns = service_urlpatterns("orders", "orders.urls")
