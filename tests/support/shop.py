"""The end-to-end tests' view of a running stack: customers placing orders through the
gateway, an admin reading every service, and the invariants every fault must keep."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from chassis_testing.waiting import wait_until
from ecomctl.runtime.base import Runtime
from ecomctl.shop.api_client import ApiClient

FINAL = {"CONFIRMED", "CANCELLED"}
NOTIFICATION_KIND = {"CONFIRMED": "order_confirmed", "CANCELLED": "order_cancelled"}


@dataclass
class Shop:
    runtime: Runtime
    admin: ApiClient
    placed: list[str] = field(default_factory=list)

    def new_customer(self) -> ApiClient:
        email = f"e2e-{uuid.uuid4().hex[:12]}@ecomlab.test"
        password = "correct horse battery staple"
        api = ApiClient(self.admin.base_url)
        api.request("POST", "/auth/register/", json={"email": email, "password": password, "name": "E2E Customer"})
        return api.login(email, password)

    @cached_property
    def product_id(self) -> int:
        return self.admin.request("GET", "/catalog/products/")["results"][0]["id"]

    def place(self, customer: ApiClient, payment_method: str = "tok_visa", quantity: int = 1) -> dict:
        order = customer.request(
            "POST",
            "/orders/",
            json={
                "items": [{"product_id": self.product_id, "quantity": quantity}],
                "payment_method": payment_method,
            },
        )
        self.placed.append(order["id"])
        return order

    def order(self, order_id: str) -> dict:
        return self.admin.request("GET", f"/orders/{order_id}/")

    def wait_final(self, order_id: str, timeout: float = 45.0) -> dict:
        return wait_until(
            lambda: (order := self.order(order_id))["status"] in FINAL and order,
            timeout=timeout,
            message=f"order {order_id} to reach a final state",
        )

    def payments(self) -> list[dict]:
        return self.admin.every("/payments/")

    def notifications(self) -> list[dict]:
        return self.admin.every("/notifications/")

    def payments_for(self, order_id: str) -> list[dict]:
        return [payment for payment in self.payments() if payment["order_id"] == order_id]

    def set_provider(self, *, latency_ms: int = 0, failure_rate: float = 0.0) -> None:
        self.admin.request("PUT", "/payments/provider/", json={"latency_ms": latency_ms, "failure_rate": failure_rate})

    def metric(self, service: str, name: str) -> float:
        """Sum of one metric on a service's internal endpoint (not routed by the gateway)."""
        text = self.runtime.internal_get(service, "/internal/metrics")
        values = [float(value) for value in re.findall(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE)]
        return sum(values)

    def _notified(self, orders: dict[str, str]) -> Counter:
        return Counter(
            (notification["order_id"], notification["kind"])
            for notification in self.notifications()
            if notification["order_id"] in orders
        )

    def assert_invariants(self) -> None:
        """What every fault must leave true: each order placed is final, charged at most
        once, notified once per final state, and no event is left in any outbox."""
        final = {order_id: self.wait_final(order_id)["status"] for order_id in self.placed}
        payments = Counter(payment["order_id"] for payment in self.payments())
        for order_id in final:
            assert payments[order_id] == 1, f"order {order_id} has {payments[order_id]} payments"
        expected = Counter((order_id, NOTIFICATION_KIND[status]) for order_id, status in final.items())
        wait_until(
            lambda: self._notified(final) == expected,
            timeout=30,
            message="every final order to be notified exactly once",
        )
        for service in ("orders", "payments", "notifications"):
            wait_until(
                lambda service=service: self.metric(service, "ecomlab_outbox_pending") == 0,
                timeout=30,
                message=f"{service} to have published every event in its outbox",
            )
