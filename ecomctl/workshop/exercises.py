"""The workshop's exercises, in order: what `workshop start N` marks (and sets up), and
what `workshop check N` grades from the stack's records since then. Each exercise's text,
commands and questions are in docs/workshop/."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ecomctl.broker.dead_letters import peek
from ecomctl.broker.queues import DEAD_LETTER_SUFFIX, consumer_queue, dead_letter_queue
from ecomctl.shop.api_client import ApiClient
from ecomctl.shop.logins import customer_login
from ecomctl.workshop.lab import Criterion, Lab, epoch, token_key_id

FLOW = ["order.created", "payment.succeeded", "order.confirmed", "notification.sent"]
WAITED_SECONDS = 3.0  # an order "waited" when what it waited for came at least this much later
PROVIDER = "/payments/provider/"

Marks = dict
Check = Callable[[Lab, Marks], list[Criterion]]


@dataclass(frozen=True)
class Exercise:
    number: int
    slug: str
    title: str
    check: Check
    start: Callable[[Lab], Marks] = lambda lab: {}

    @property
    def doc(self) -> str:
        return f"docs/workshop/{self.number:02d}-{self.slug}.md"


def _since(lab: Lab, marks: Marks) -> list[dict]:
    return lab.orders_since(marks["started_at"])


def _no_order(what: str) -> list[Criterion]:
    return [Criterion(False, f"{what}: no order was placed since `ecomctl workshop start`.")]


def _restarted(lab: Lab, marks: Marks, prefix: str) -> Criterion:
    now_counts = lab.restarts()
    again = [
        name
        for name, count in now_counts.items()
        if (name == prefix or name.startswith(f"{prefix}-")) and count > marks["restarts"].get(name, 0)
    ]
    return Criterion(
        bool(again),
        f"{prefix} was started again since the start"
        + (f" ({', '.join(again)})" if again else ": its restart count did not change"),
    )


def _healthy(lab: Lab) -> Criterion:
    unwell = lab.unwell()
    return Criterion(
        not unwell, "every component is running and healthy" + (f"; not: {', '.join(unwell)}" if unwell else "")
    )


def _runs(lab: Lab, marks: Marks) -> list[dict]:
    return [run for run in lab.runtime.state.scenario_runs() if run["finished_at"] >= marks["started_at"]]


def _broken_then_mended(lab: Lab, marks: Marks, scenario: str, switch: str, invariant: str) -> list[Criterion]:
    runs = [run for run in _runs(lab, marks) if run["scenario"] == scenario]
    broken = [
        run for run in runs if switch in run["unsafe"] and not run["passed"] and invariant in run["failed_invariants"]
    ]
    mended = [
        run
        for run in runs
        if not run["unsafe"] and run["passed"] and broken and run["finished_at"] > broken[0]["finished_at"]
    ]
    return [
        Criterion(
            bool(broken),
            f"`{scenario}` failed with {switch} on, on the invariant {invariant!r}"
            + ("" if broken else f" (runs of it since the start: {len(runs)})"),
        ),
        Criterion(bool(mended), f"then `{scenario}` passed with every safeguard on (after a plain `ecomctl up`)"),
        Criterion(
            not lab.runtime.stack.unsafe,
            "the stack runs with every safeguard on now"
            + (f"; still on: {', '.join(lab.runtime.stack.unsafe)}" if lab.runtime.stack.unsafe else ""),
        ),
    ]


def _started(lab: Lab) -> Marks:
    return {"started_at": time.time(), "restarts": lab.restarts()}


# 1. The order flow end to end.
def _first_order(lab: Lab, marks: Marks) -> list[Criterion]:
    confirmed = [order for order in _since(lab, marks) if order["status"] == "CONFIRMED"]
    if not confirmed:
        return [_healthy(lab), Criterion(False, "an order placed since the start is CONFIRMED: none is")]
    order = confirmed[-1]
    trace = lab.trace(order["id"])
    published = lab.published(order["id"])
    return [
        _healthy(lab),
        Criterion(True, f"order {order['id'][:8]}, placed since the start, is CONFIRMED"),
        Criterion(
            all(kind in published for kind in FLOW),
            f"its story has {' -> '.join(FLOW)}; published: {' -> '.join(published) or 'nothing'}",
        ),
        Criterion(len(trace.flows) == 1, f"all of it in one flow (correlation id); flows: {len(trace.flows)}"),
    ]


# 2. Service isolation.
def _isolation(lab: Lab, marks: Marks) -> list[Criterion]:
    criteria = [_restarted(lab, marks, "payments"), _restarted(lab, marks, "notifications")]
    waited = []
    for order in _since(lab, marks):
        payments = lab.payments(order["id"])
        if payments and epoch(payments[0]["created_at"]) - epoch(order["created_at"]) >= WAITED_SECONDS:
            waited.append(order)
    if not waited:
        return [
            *criteria,
            Criterion(
                False,
                f"an order placed since the start waited for payments (charged "
                f"{WAITED_SECONDS:g} s or more after it was placed): none did",
            ),
            _healthy(lab),
        ]
    order = waited[-1]
    charged = [charge for charge in lab.charges(order["id"]) if charge["outcome"] == "succeeded"]
    notified = lab.notifications(order["id"])
    return [
        *criteria,
        Criterion(True, f"order {order['id'][:8]} waited for payments and was charged once it was back"),
        Criterion(order["status"] == "CONFIRMED", f"it is CONFIRMED; it is {order['status']}"),
        Criterion(len(charged) == 1, f"it was charged once at the provider; charges: {len(charged)}"),
        Criterion(len(notified) == 1, f"its customer was notified once; notifications: {len(notified)}"),
        _healthy(lab),
    ]


# 3. The broker down, and the outbox.
def _broker_outage(lab: Lab, marks: Marks) -> list[Criterion]:
    criteria = [_restarted(lab, marks, "rabbitmq")]
    held = None
    for order in _since(lab, marks):
        entries = [entry for entry in lab.trace(order["id"]).entries if "order.created" in entry.what]
        written = [epoch(entry.at) for entry in entries if entry.target == "orders"]
        sent = [epoch(entry.at) for entry in entries if entry.target == "broker"]
        if written and sent and sent[0] - written[0] >= WAITED_SECONDS:
            held = order
    if held is None:
        return [
            *criteria,
            Criterion(
                False,
                "an order's order.created waited in the orders outbox while the broker "
                f"was down (published {WAITED_SECONDS:g} s or more after it was stored): "
                "none did",
            ),
        ]
    pending = lab.outboxes_pending()
    return [
        *criteria,
        Criterion(True, f"order {held['id'][:8]}'s order.created waited in the outbox and was published later"),
        Criterion(held["status"] == "CONFIRMED", f"the order is CONFIRMED; it is {held['status']}"),
        Criterion(
            not any(pending.values()),
            "no event is left unpublished in an outbox" + (f"; pending: {pending}" if any(pending.values()) else ""),
        ),
    ]


# 4. The dual-write switch: why the outbox exists.
def _dual_write(lab: Lab, marks: Marks) -> list[Criterion]:
    orders = _since(lab, marks)
    lost = [
        order for order in orders if order["status"] == "PENDING" and "order.created" not in lab.published(order["id"])
    ]
    later = [
        order
        for order in orders
        if lost and order["created_at"] > lost[0]["created_at"] and order["status"] == "CONFIRMED"
    ]
    return [
        Criterion(
            bool(lost),
            "an order placed since the start lost its order.created: still PENDING, and the "
            "broker never got the event" + ("" if lost else " (none did)"),
        ),
        Criterion(
            not lab.runtime.stack.unsafe,
            "the stack runs with the outbox again (no switch on)"
            + (f"; still on: {', '.join(lab.runtime.stack.unsafe)}" if lab.runtime.stack.unsafe else ""),
        ),
        Criterion(bool(later), "an order placed after the lost one is CONFIRMED"),
    ]


# 5. Duplicate delivery and idempotency.
def _duplicates(lab: Lab, marks: Marks) -> list[Criterion]:
    return _broken_then_mended(lab, marks, "duplicate-delivery", "no-inbox", "at most one successful charge per order")


# 6. Poison messages and dead-letter queues.
def _poison_start(lab: Lab) -> Marks:
    return {**_started(lab), "dead_letters": lab.dead_letter_depths()}


def _poison(lab: Lab, marks: Marks) -> list[Criterion]:
    grew = [queue for queue, depth in lab.dead_letter_depths().items() if depth > marks["dead_letters"].get(queue, 0)]
    sources = [queue.removesuffix(DEAD_LETTER_SUFFIX) for queue in grew]  # peek names the consumer queue
    rejected = [
        queue.name
        for queue in peek(lab.runtime.broker_url(), sources, limit=50)
        if any(
            death.reason == "rejected" and not letter.event_type for letter in queue.messages for death in letter.deaths
        )
    ]
    after = [order for order in _since(lab, marks) if order["status"] == "CONFIRMED"]
    return [
        Criterion(
            bool(rejected),
            "a message that is not an event was dead-lettered at once (rejected) since the start"
            + (f": {', '.join(rejected)}" if rejected else "; new dead letters in: " + (", ".join(grew) or "none")),
        ),
        Criterion(bool(after), "an order placed since the start is CONFIRMED: the queue kept moving"),
    ]


# 7. The catalog down, and the circuit breaker.
def _breaker(lab: Lab, marks: Marks) -> list[Criterion]:
    return _broken_then_mended(lab, marks, "catalog-frozen", "no-breaker", "no request timed out")


# 8. JWT and JWKS.
def _tokens_start(lab: Lab) -> Marks:
    customer = customer_login(ApiClient(lab.gateway), "alice")
    return {**_started(lab), "keys": lab.signing_keys(), "token": customer.token}


def _tokens(lab: Lab, marks: Marks) -> list[Criterion]:
    keys = lab.signing_keys()
    new = [kid for kid in keys if kid not in marks["keys"]]
    old_kid = token_key_id(marks["token"])
    kept = lab.accepted_everywhere(marks["token"])
    fresh = token_key_id(customer_login(ApiClient(lab.gateway), "alice").token or "")
    return [
        Criterion(
            bool(new),
            "auth serves a signing key it did not serve at the start (the key was rotated)"
            + (f": {', '.join(new)}" if new else ""),
        ),
        Criterion(old_kid in keys, f"the key of the token issued at the start ({old_kid}) is still served"),
        Criterion(
            set(kept.values()) == {200},
            "that token is still accepted by orders, payments and notifications"
            f" (no one was logged out by the rotation): {kept}",
        ),
        Criterion(bool(new) and fresh in new, f"a new login is signed with the new key (kid {fresh})"),
    ]


# 9. A hot fix while orders wait.
def _hot_fix_start(lab: Lab) -> Marks:
    before = lab.admin.request("GET", PROVIDER)
    lab.admin.request("PATCH", PROVIDER, json={"failure_rate": 1.0})
    return {
        **_started(lab),
        "dead_letters": lab.dead_letter_depths(),
        "provider": {"latency_ms": before["latency_ms"], "failure_rate": before["failure_rate"]},
    }


def _hot_fix(lab: Lab, marks: Marks) -> list[Criterion]:
    provider = lab.admin.request("GET", PROVIDER)
    orders = _since(lab, marks)
    if len(orders) < 2:
        return [Criterion(False, f"at least two orders were placed while payments was failing; {len(orders)} were")]
    charged = {
        order["id"]: [charge for charge in lab.charges(order["id"]) if charge["outcome"] == "succeeded"]
        for order in orders
    }
    waited = [
        order
        for order in orders
        if charged[order["id"]]
        and epoch(charged[order["id"]][0]["created_at"]) - epoch(order["created_at"]) >= WAITED_SECONDS
    ]
    unconfirmed = [f"{order['id'][:8]} {order['status']}" for order in orders if order["status"] != "CONFIRMED"]
    twice = [order_id[:8] for order_id, charges in charged.items() if len(charges) != 1]
    # The queue of the consumer that charges, by the rule every consumer's queue follows.
    queue = dead_letter_queue(consumer_queue("payments", "order-created"))
    left = lab.dead_letter_depths().get(queue, 0) - marks["dead_letters"].get(queue, 0)
    return [
        Criterion(
            provider["failure_rate"] == 0, f"the provider charges again (failure rate {provider['failure_rate']})"
        ),
        Criterion(
            not unconfirmed,
            f"every order placed since the start is CONFIRMED ({len(orders)} orders)"
            + (f"; not: {', '.join(unconfirmed)}" if unconfirmed else ""),
        ),
        Criterion(
            not twice, "each was charged exactly once at the provider" + (f"; not: {', '.join(twice)}" if twice else "")
        ),
        Criterion(
            len(waited) == len(orders),
            "each waited for the fix (charged well after it was placed), none was lost on the way",
        ),
        Criterion(left <= 0, f"nothing of them is left in {queue}" + (f"; {left} message(s) are" if left > 0 else "")),
    ]


# 10. A scenario of your own.
BREAKING = {"kill", "stop", "pause", "restart", "set_provider", "publish"}
PROBES = {"order_status", "http", "queue", "events", "charges", "notifications", "dead_letters"}


def _own_scenario(lab: Lab, marks: Marks) -> list[Criterion]:
    own = [run for run in _runs(lab, marks) if not run["builtin"]]
    written = [run for run in own if BREAKING & set(run["words"]) and PROBES & set(run["words"])]
    passed = [run for run in written if run["passed"]]
    return [
        Criterion(
            bool(written),
            "a scenario file of your own (outside scenarios/) that breaks something and probes "
            "what the system does was run" + (f": {written[-1]['file']}" if written else ""),
        ),
        Criterion(
            bool(passed),
            "it passed: its probes and every invariant held"
            + (
                "" if passed or not written else f"; failed: {', '.join(written[-1]['failed_invariants']) or 'a probe'}"
            ),
        ),
    ]


EXERCISES = [
    Exercise(1, "first-order", "Bring the stack up and follow one order", _first_order, _started),
    Exercise(2, "isolation", "Payments and notifications down: who notices?", _isolation, _started),
    Exercise(3, "broker-outage", "The broker stops: the outbox holds the events", _broker_outage, _started),
    Exercise(4, "dual-write", "Switch the outbox off and lose an event", _dual_write, _started),
    Exercise(5, "duplicates", "Deliver twice, charge twice: the inbox", _duplicates, _started),
    Exercise(6, "poison", "A poison message and its dead-letter queue", _poison, _poison_start),
    Exercise(7, "breaker", "The catalog freezes: fail fast or hang", _breaker, _started),
    Exercise(8, "tokens", "JWT, JWKS and a signing key rotated without downtime", _tokens, _tokens_start),
    Exercise(9, "hot-fix", "A hot fix while orders wait", _hot_fix, _hot_fix_start),
    Exercise(10, "own-scenario", "Write a scenario of your own and make it pass", _own_scenario, _started),
]


def exercise(number: int) -> Exercise | None:
    return next((item for item in EXERCISES if item.number == number), None)
