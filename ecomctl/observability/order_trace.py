"""One order's whole story across the services, in time order, assembled after the fact
from what each service records itself: the order and its status history (orders), the
events each service published and handled of the order's flow (their outboxes and inboxes,
at /internal/flows/), the charge (payments) and the notification (notifications). Returns
data; views/trace.py draws it as a table or a Mermaid sequence diagram."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ecomctl.runtime.base import Runtime
from ecomctl.runtime.errors import RuntimeProblem
from ecomctl.shop.api_client import ApiClient, ApiError

BROKER = "broker"
CLIENT = "client"
PROVIDER = "provider"  # the payment provider payments charges through


@dataclass(frozen=True)
class TraceEntry:
    at: str  # ISO time
    source: str  # who acts: client, a service, broker
    target: str  # who it reaches (the same as source for what stays inside a service)
    kind: str  # request, status, published, consumed, charge, notification
    what: str


@dataclass
class Trace:
    order_id: str
    status: str
    flows: list[str] = field(default_factory=list)  # correlation ids: normally exactly one
    entries: list[TraceEntry] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # services that could not be asked


class OrderNotFound(RuntimeProblem):
    def __init__(self, order_id: str):
        super().__init__(f"There is no order {order_id}.", "List the orders with `ecomctl order list`.")


def order_trace(runtime: Runtime, admin: ApiClient, order_id: str) -> Trace:
    try:
        order = admin.request("GET", f"/orders/{order_id}/")
    except ApiError as error:
        if error.status in (400, 404):
            raise OrderNotFound(order_id) from None
        raise
    trace = Trace(order_id, order["status"])
    trace.entries.append(
        TraceEntry(order["created_at"], CLIENT, "orders", "request", "POST /orders/ answered 201, PENDING")
    )
    for change in order["status_history"][1:]:
        reason = f" ({change['reason']})" if change.get("reason") else ""
        trace.entries.append(
            TraceEntry(change["changed_at"], "orders", "orders", "status", f"{change['status']}{reason}")
        )
    publishers = [service.name for service in runtime.stack.services if service.publishes]
    consumers = [service.name for service in runtime.stack.services if service.consumers]
    flows: dict[str, None] = {}
    for service in publishers:
        for event in _flows(runtime, trace, service, {"data.order_id": order_id}).get("published", []):
            flows[event["correlation_id"]] = None
            trace.entries.append(
                TraceEntry(event["written_at"], service, service, "published", f"{event['type']} written to the outbox")
            )
            if event["published_at"]:
                trace.entries.append(TraceEntry(event["published_at"], service, BROKER, "published", event["type"]))
    trace.flows = [flow for flow in flows if flow]
    for flow in trace.flows:
        for service in consumers:
            for event in _flows(runtime, trace, service, {"correlation_id": flow}).get("consumed", []):
                trace.entries.append(
                    TraceEntry(
                        event["processed_at"],
                        BROKER,
                        service,
                        "consumed",
                        f"{event['type']} (by {service}.{event['consumer']})",
                    )
                )
    for payment in records_of_order(admin, "/payments/", order_id):
        failure = f", {payment['failure_reason']}" if payment["failure_reason"] else ""
        trace.entries.append(
            TraceEntry(
                payment["created_at"],
                "payments",
                "payments",
                "charge",
                f"{payment['status']} {payment['amount']} {payment['currency']}{failure}",
            )
        )
    for charge in _ledger(admin, order_id):
        trace.entries.append(
            TraceEntry(
                charge["created_at"],
                "payments",
                PROVIDER,
                "charge",
                f"{charge['outcome']} {charge['amount']} {charge['currency']} ({charge['charge_id']})",
            )
        )
    for sent in records_of_order(admin, "/notifications/", order_id):
        trace.entries.append(
            TraceEntry(
                sent["sent_at"] or "",
                "notifications",
                "notifications",
                "notification",
                f"{sent['kind']} to {sent['email']}",
            )
        )
    trace.entries.sort(key=lambda entry: entry.at)
    return trace


def _flows(runtime: Runtime, trace: Trace, service: str, query: dict[str, str]) -> dict:
    try:
        return json.loads(runtime.internal_get(service, f"/internal/flows/?{urlencode(query)}"))
    except (OSError, RuntimeProblem, ValueError):
        if service not in trace.unreachable:
            trace.unreachable.append(service)
        return {}


def _ledger(admin: ApiClient, order_id: str) -> list[dict]:
    """The payment provider's own record of what it charged for the order."""
    try:
        return admin.request("GET", "/payments/provider/charges/", params={"reference": order_id})["results"]
    except ApiError:
        return []


def records_of_order(admin: ApiClient, path: str, order_id: str) -> list[dict]:
    """The service's records (payments, notifications) of one order; none when it cannot say."""
    try:
        listed = admin.every(path)
    except ApiError:
        return []
    return [item for item in listed if item["order_id"] == order_id]
