"""Scenarios about the payment provider: a card it declines, and a provider that answers
slowly. Neither reaches the customer's HTTP request: payments works from events."""

from __future__ import annotations

from datetime import datetime

from ecomctl.scenarios.script import Scenario, ScenarioRun
from ecomctl.scenarios.shopping import flow_events, place_accepted, short, status_after, when_changed
from ecomctl.scenarios.watch import EventWatch

OUTCOME_TIMEOUT = 30.0
SLOW_PROVIDER_MS = 2000
PROVIDER = "/payments/provider/"


def declined_card(run: ScenarioRun) -> None:
    with EventWatch(run.broker_url, run.exchange) as watch:
        with run.step("Place an order as alice, paying with tok_chargeDeclined",
                      expect="accepted, PENDING: the card is charged later, by payments") as step:
            order = place_accepted(run, step, payment_method="tok_chargeDeclined")
        order_id = order["id"]
        with run.step("Follow the order", expect="CANCELLED, with the decline as the reason") as step:
            cancelled = status_after(run, order_id, "CANCELLED", OUTCOME_TIMEOUT)
            reason = next(change["reason"] for change in cancelled["status_history"]
                          if change["status"] == "CANCELLED")
            run.check("card_declined" in reason, f"Order {short(order_id)} was cancelled for {reason!r}, "
                                                 "not for the declined card.")
            step.saw(f"order {short(order_id)} CANCELLED ({reason})")
        with run.step("Read alice's payments", expect="one payment for the order: FAILED, card_declined") as step:
            payments = _of_order(run.customer.request("GET", "/payments/")["results"], order_id)
            run.check(len(payments) == 1, f"Order {short(order_id)} has {len(payments)} payments, not one.")
            payment = payments[0]
            run.check((payment["status"], payment["failure_reason"]) == ("FAILED", "card_declined"),
                      f"The payment is {payment['status']} ({payment['failure_reason'] or 'no reason'}), "
                      "not FAILED (card_declined).")
            step.saw(f"payment {payment['id'][:8]} {payment['status']} ({payment['failure_reason']})")
        with run.step("Read alice's notifications", expect="one order_cancelled notification for the order") as step:
            notified = run.eventually(
                lambda: _of_order(run.customer.request("GET", "/notifications/")["results"], order_id),
                OUTCOME_TIMEOUT, f"a notification about order {short(order_id)}")
            kinds = [notification["kind"] for notification in notified]
            run.check(kinds == ["order_cancelled"], f"Order {short(order_id)} was notified as {kinds}, "
                                                    "not once as order_cancelled.")
            step.saw(f"{notified[0]['kind']} sent to {notified[0]['email']}: {notified[0]['subject']!r}")
        with run.step("Show the order's events from the live tap",
                      expect="order.created, payment.failed, order.cancelled: each service decided locally") as step:
            flow_events(run, step, watch, order_id, ["order.created", "payment.failed", "order.cancelled"])


def slow_provider(run: ScenarioRun) -> None:
    admin = run.admin()
    with run.step(f"Make the payment provider answer in {SLOW_PROVIDER_MS} ms (as the admin)",
                  expect="the setting takes effect at once, no restart") as step:
        before = admin.request("GET", PROVIDER)
        restore = {"latency_ms": before["latency_ms"], "failure_rate": before["failure_rate"]}
        run.breaks("reset the payment provider", lambda: admin.request("PUT", PROVIDER, json=restore))
        now = admin.request("PATCH", PROVIDER, json={"latency_ms": SLOW_PROVIDER_MS})
        run.check(now["latency_ms"] == SLOW_PROVIDER_MS, f"The provider's latency is {now['latency_ms']} ms after "
                                                         f"setting {SLOW_PROVIDER_MS} ms.")
        step.saw(f"latency {before['latency_ms']} ms -> {now['latency_ms']} ms")
    with run.step("Place an order as alice",
                  expect="answered at once: the request never waits on the provider") as step:
        # Had it waited on the provider it would have taken the provider's whole latency.
        order = place_accepted(run, step, within=SLOW_PROVIDER_MS / 1000)
    with run.step("Follow the order",
                  expect=f"CONFIRMED, about {SLOW_PROVIDER_MS / 1000:g} s after it was placed") as step:
        confirmed = status_after(run, order["id"], "CONFIRMED", OUTCOME_TIMEOUT)
        took = (datetime.fromisoformat(when_changed(confirmed, "CONFIRMED"))
                - datetime.fromisoformat(when_changed(confirmed, "PENDING")))
        run.check(took.total_seconds() >= SLOW_PROVIDER_MS / 1000 * 0.9,
                  f"Order {short(order['id'])} was confirmed {took.total_seconds():.2f} s after it was placed, "
                  f"sooner than the provider's {SLOW_PROVIDER_MS} ms.")
        step.saw(f"order {short(order['id'])} CONFIRMED {took.total_seconds():.2f} s after it was placed")
    with run.step("Reset the payment provider", expect=f"latency back to {restore['latency_ms']} ms") as step:
        run.mend("reset the payment provider")
        latency = admin.request("GET", PROVIDER)["latency_ms"]
        run.check(latency == restore["latency_ms"], f"The provider's latency is still {latency} ms after the reset.")
        step.saw(f"latency {latency} ms")


def _of_order(items: list[dict], order_id: str) -> list[dict]:
    return [item for item in items if item["order_id"] == order_id]


DECLINED_CARD = Scenario(
    "declined-card", "A declined card: the order is cancelled, the payment failed, the customer told.", declined_card)
SLOW_PROVIDER = Scenario(
    "slow-provider", "A slow payment provider: orders still answer at once and confirm later.", slow_provider)
