"""The fixed vocabulary of scenario files: every action and probe, and the fields each
takes. docs/scenarios.md documents the same words; a test keeps the two in step."""

from __future__ import annotations

from dataclasses import dataclass

COMPONENT_ACTIONS = ("kill", "stop", "start", "restart", "pause", "unpause")


@dataclass(frozen=True)
class Field:
    kind: str  # text, integer, number, duration, order (a saved name), items, list, any
    required: bool = False


def _fields(**fields: Field) -> dict[str, Field]:
    return fields


# Every step may also carry `title` (what the narration says it does) and `expect`.
STEP_FIELDS = _fields(title=Field("text"), expect=Field("text"))

ACTIONS: dict[str, dict[str, Field]] = {
    **{name: _fields(component=Field("text", True)) for name in COMPONENT_ACTIONS},
    "place_order": _fields(
        **{
            "as": Field("text"),
            "items": Field("items"),
            "payment_method": Field("text"),
            "idempotency_key": Field("text"),
            "status": Field("integer"),
            "within_ms": Field("integer"),
            "save": Field("text"),
        }
    ),
    "set_provider": _fields(latency_ms=Field("integer"), failure_rate=Field("number")),
    "publish": _fields(routing_key=Field("text"), body=Field("any"), redeliver=Field("text"), order=Field("order")),
    "wait": _fields(**{"for": Field("duration", True)}),
    "narrate": _fields(text=Field("text", True)),
}

PROBES: dict[str, dict[str, Field]] = {
    "order_status": _fields(
        order=Field("order", True), status=Field("text", True), within=Field("duration"), holds_for=Field("duration")
    ),
    "http": _fields(
        method=Field("text"),
        path=Field("text", True),
        **{"as": Field("text")},
        body=Field("any"),
        status=Field("integer"),
        within_ms=Field("integer"),
    ),
    "queue": _fields(
        queue=Field("text", True),
        messages=Field("integer"),
        messages_at_least=Field("integer"),
        consumers=Field("integer"),
        within=Field("duration"),
    ),
    "events": _fields(
        order=Field("order", True), sequence=Field("list"), contains=Field("list"), within=Field("duration")
    ),
    "charges": _fields(order=Field("order", True), count=Field("integer", True), within=Field("duration")),
    "notifications": _fields(order=Field("order", True), count=Field("integer", True), within=Field("duration")),
    "dead_letters": _fields(
        queue=Field("text", True), count=Field("integer"), at_least=Field("integer"), within=Field("duration")
    ),
}

TOP_LEVEL = {
    "name": Field("text", True),
    "title": Field("text", True),
    "teaches": Field("text", True),
    "steady_state": Field("list"),
    "steps": Field("list", True),
    "rollbacks": Field("list"),
}

ORDER_STATUSES = ("PENDING", "CONFIRMED", "CANCELLED")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
