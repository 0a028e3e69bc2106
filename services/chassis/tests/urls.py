"""URLs of the test project: only the messaging endpoints."""

from chassis.messaging.urls import urlpatterns as messaging_urlpatterns

urlpatterns = [*messaging_urlpatterns]
