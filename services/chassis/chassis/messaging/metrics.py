"""Prometheus metrics for this service's messaging, read from its database so the numbers
include what the relay and consumer processes did. Mounted at internal/metrics, outside any
public prefix, so the gateway never routes it."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from chassis.messaging import counters

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_COUNTERS = {
    counters.PUBLISHED: ("ecomlab_outbox_published_total", "Events the relay published with a broker confirm."),
    counters.PUBLISH_FAILURES: ("ecomlab_outbox_publish_failures_total", "Relay batches that hit a publish error."),
    counters.CONSUMED: ("ecomlab_events_consumed_total", "Events handled and committed."),
    counters.DUPLICATES: ("ecomlab_events_duplicates_total", "Redelivered or duplicated events skipped."),
    counters.DEAD_LETTERED: ("ecomlab_events_dead_lettered_total", "Invalid messages rejected to the DLQ."),
    counters.HANDLER_FAILURES: ("ecomlab_events_handler_failures_total", "Handler errors; the event was requeued."),
}

_OUTBOX_STATE = """
    SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)
    FROM messaging_outbox WHERE published_at IS NULL
"""


@require_GET
def metrics_view(request):
    try:
        lines = render_metrics()
    except DatabaseError:
        return HttpResponse("# database unavailable\n", status=503, content_type=CONTENT_TYPE)
    return HttpResponse("".join(lines), content_type=CONTENT_TYPE)


def render_metrics() -> list[str]:
    service = _escape(settings.SERVICE_NAME)
    with connection.cursor() as cursor:
        cursor.execute(_OUTBOX_STATE)
        pending, oldest_age = cursor.fetchone()
    lines = [
        *_family("ecomlab_outbox_pending", "gauge", "Events in the outbox not yet published."),
        f'ecomlab_outbox_pending{{service="{service}"}} {pending}\n',
        *_family("ecomlab_outbox_oldest_pending_age_seconds", "gauge", "Age of the oldest unpublished event."),
        f'ecomlab_outbox_oldest_pending_age_seconds{{service="{service}"}} {float(oldest_age):.3f}\n',
    ]
    values: dict[str, list[tuple[str, str, int]]] = {name: [] for name in _COUNTERS}
    for name, consumer, event_type, value in counters.read_all():
        if name in values:
            values[name].append((consumer, event_type, value))
    for name, (metric, help_text) in _COUNTERS.items():
        lines += _family(metric, "counter", help_text)
        if name in (counters.PUBLISHED, counters.PUBLISH_FAILURES):
            total = sum(value for _, _, value in values[name])
            lines.append(f'{metric}{{service="{service}"}} {total}\n')
            continue
        for consumer, event_type, value in values[name]:
            labels = f'service="{service}",consumer="{_escape(consumer)}",event_type="{_escape(event_type)}"'
            lines.append(f"{metric}{{{labels}}} {value}\n")
    return lines


def _family(metric: str, kind: str, help_text: str) -> list[str]:
    return [f"# HELP {metric} {help_text}\n", f"# TYPE {metric} {kind}\n"]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


urlpatterns = [path("internal/metrics", metrics_view, name="messaging-metrics")]
