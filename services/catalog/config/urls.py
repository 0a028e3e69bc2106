"""URL map of the catalog service: public API and schema under /catalog/, health at the root."""

# Django reads the error handlers from this module.
from chassis.urls import handler400, handler404, handler500, service_urlpatterns  # noqa: F401

urlpatterns = service_urlpatterns("catalog", "products.urls")
