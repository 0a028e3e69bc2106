"""URLs of the test project: only the messaging metrics."""

from chassis.messaging.metrics import urlpatterns as metrics_urlpatterns

urlpatterns = [*metrics_urlpatterns]
