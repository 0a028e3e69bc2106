"""The messaging endpoints a service with events serves (internal: the gateway never routes them)."""

from chassis.messaging import flows, metrics

urlpatterns = [*metrics.urlpatterns, *flows.urlpatterns]
