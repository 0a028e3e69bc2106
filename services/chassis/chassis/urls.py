"""The URL map every service has, written once: its OpenAPI schema and API under
/<prefix>/, health at the root, the messaging endpoints at the root where the service has
chassis.messaging installed, and errors answered in the JSON error shape.

A service's config/urls.py is then

    from chassis.urls import handler400, handler404, handler500, service_urlpatterns

    urlpatterns = service_urlpatterns("orders", "orders.urls")
"""

from __future__ import annotations

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

import chassis.health

__all__ = ["handler400", "handler404", "handler500", "service_urlpatterns"]

# Django reads these from the root URLconf; a service's config/urls.py imports them.
handler400 = "chassis.errors.bad_request"
handler404 = "chassis.errors.not_found"
handler500 = "chassis.errors.server_error"


def service_urlpatterns(prefix: str, api_urls: str) -> list:
    """`prefix`: the path every public route of the service starts with (its name);
    `api_urls`: the module of its API's routes."""
    patterns = [
        path(f"{prefix}/schema/", SpectacularAPIView.as_view(), name="schema"),
        path(f"{prefix}/", include(api_urls)),
        path("", include(chassis.health.urlpatterns)),
    ]
    # Whether a service publishes or consumes is said once, by its INSTALLED_APPS; the
    # messaging urls import its models, so only then.
    if apps.is_installed("chassis.messaging"):
        from chassis.messaging import urls as messaging_urls

        patterns.append(path("", include(messaging_urls.urlpatterns)))
    return patterns
