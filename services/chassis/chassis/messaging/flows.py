"""`/internal/flows/`: what this service published and handled of one flow, for `ecomctl
trace` (never routed by the gateway). Events are found by their correlation id, or by one
field of their data (`?data.order_id=...`), which is how a flow is found from a business id.

    GET /internal/flows/?correlation_id=<id>     published and consumed events of the flow
    GET /internal/flows/?data.<field>=<value>    published events whose data has that value
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import JsonResponse
from django.urls import path

from chassis.errors import error_body
from chassis.messaging.models import InboxMessage, OutboxMessage

_FIELD = re.compile(r"^data\.([a-z_][a-z0-9_]{0,63})$")
_LIMIT = 200


def flows_view(request):
    correlation_id = request.GET.get("correlation_id")
    data_filters = {match.group(1): value for key, value in request.GET.items() if (match := _FIELD.match(key))}
    if not correlation_id and not data_filters:
        return JsonResponse(
            error_body(
                "invalid", "Give correlation_id or one data.<field>.", {"correlation_id": ["This field is required."]}
            ),
            status=400,
        )
    published = OutboxMessage.objects.order_by("created_at")
    consumed = InboxMessage.objects.none()
    if correlation_id:
        published = published.filter(payload__correlation_id=correlation_id)
        consumed = InboxMessage.objects.filter(correlation_id=correlation_id).order_by("processed_at")
    for field, value in data_filters.items():
        published = published.filter(**{f"payload__data__{field}": value})
    return JsonResponse(
        {
            "service": settings.SERVICE_NAME,
            "published": [_published(row) for row in published[:_LIMIT]],
            "consumed": [_consumed(row) for row in consumed[:_LIMIT]],
        }
    )


def _published(row: OutboxMessage) -> dict:
    envelope = row.payload
    return {
        "id": str(row.id),
        "type": row.event_type,
        "correlation_id": envelope.get("correlation_id"),
        "causation_id": envelope.get("causation_id"),
        "data": envelope.get("data", {}),
        "written_at": row.created_at.isoformat(),
        "published_at": row.published_at.isoformat() if row.published_at else None,
    }


def _consumed(row: InboxMessage) -> dict:
    return {
        "id": str(row.message_id),
        "type": row.event_type,
        "consumer": row.consumer,
        "processed_at": row.processed_at.isoformat(),
    }


urlpatterns = [path("internal/flows/", flows_view, name="messaging-flows")]
