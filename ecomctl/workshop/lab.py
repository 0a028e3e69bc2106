"""What the workshop's checks read from a running stack, as its own records say it: the
orders placed since a moment, their payments and charges at the provider, notifications,
traces, dead-letter queues, restart counts, outboxes and the signing keys served."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from ecomctl.broker.queues import consumer_queues, dead_letter_queue, queue_depths
from ecomctl.observability.order_trace import Trace, order_trace, records_of_order
from ecomctl.runtime.base import Runtime
from ecomctl.scenarios.files.verdict import outbox_pending
from ecomctl.shop.api_client import ApiClient, ApiError
from ecomctl.shop.logins import admin_login

JWKS = "/auth/.well-known/jwks.json"


@dataclass(frozen=True)
class Criterion:
    """One thing a check grades; `text` says what was looked for and what was found."""

    holds: bool
    text: str


@dataclass
class Lab:
    runtime: Runtime
    gateway: str
    _traces: dict[str, Trace] = field(default_factory=dict)

    @cached_property
    def admin(self) -> ApiClient:
        return admin_login(ApiClient(self.gateway))

    def orders_since(self, started_at: float) -> list[dict]:
        """Every customer's orders placed since then, oldest first."""
        listed = self.admin.every("/orders/")
        return sorted(
            (order for order in listed if epoch(order["created_at"]) >= started_at),
            key=lambda order: order["created_at"],
        )

    def charges(self, order_id: str) -> list[dict]:
        """What the payment provider charged for the order: the money taken."""
        return self.admin.request("GET", "/payments/provider/charges/", params={"reference": order_id})["results"]

    def payments(self, order_id: str) -> list[dict]:
        return records_of_order(self.admin, "/payments/", order_id)

    def notifications(self, order_id: str) -> list[dict]:
        return records_of_order(self.admin, "/notifications/", order_id)

    def trace(self, order_id: str) -> Trace:
        if order_id not in self._traces:
            self._traces[order_id] = order_trace(self.runtime, self.admin, order_id)
        return self._traces[order_id]

    def published(self, order_id: str) -> list[str]:
        """The event types published to the broker for the order, in time order."""
        return [
            entry.what
            for entry in self.trace(order_id).entries
            if entry.kind == "published" and entry.target == "broker"
        ]

    def dead_letter_depths(self) -> dict[str, int]:
        queues = [dead_letter_queue(queue) for queue in consumer_queues(self.runtime.stack)]
        return {depth.name: depth.messages or 0 for depth in queue_depths(self.runtime.broker_url(), queues)}

    def restarts(self) -> dict[str, int]:
        return {component.name: component.restarts for component in self.runtime.status()}

    def unwell(self) -> list[str]:
        return [component.name for component in self.runtime.status() if not component.healthy]

    def outboxes_pending(self) -> dict[str, int]:
        return {
            service.name: outbox_pending(self.runtime, service.name)
            for service in self.runtime.stack.services
            if service.publishes
        }

    def signing_keys(self) -> list[str]:
        """The key ids auth publishes in its JWKS."""
        return [key["kid"] for key in ApiClient(self.gateway).request("GET", JWKS)["keys"]]

    def accepted_everywhere(self, token: str) -> dict[str, int]:
        """The answer each service that checks tokens gives a request carrying this one."""
        caller = ApiClient(self.gateway, token=token)
        answers = {}
        for path in ("/orders/", "/payments/", "/notifications/"):
            try:
                caller.request("GET", path)
                answers[path] = 200
            except ApiError as error:
                answers[path] = error.status or 0
        return answers


def epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def token_key_id(token: str) -> str | None:
    """The kid in a JWT's header, read without verifying anything."""
    try:
        header = token.split(".")[0]
        return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))).get("kid")
    except (ValueError, IndexError):
        return None
