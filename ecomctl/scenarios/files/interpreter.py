"""Plays a checked scenario file on a ScenarioRun: the steady state first, then the steps,
with every rollback registered as a mend before any step runs (so it runs even when a step
fails or on Ctrl-C), then the steady state again. Each step is one narrated Step."""

from __future__ import annotations

import functools
import json
import time
import uuid

from ecomctl.broker.publish import publish_raw
from ecomctl.broker.queues import QueueDepth, dead_letter_queue, queue_depths
from ecomctl.scenarios.files.loader import ScenarioFile, StepSpec, seconds
from ecomctl.scenarios.files.record import PlacedOrder, RunRecord
from ecomctl.scenarios.files.vocabulary import COMPONENT_ACTIONS
from ecomctl.scenarios.script import ScenarioFailed, ScenarioRun, Step
from ecomctl.scenarios.watch import EventWatch
from ecomctl.shop import demo_data
from ecomctl.shop.api_client import ApiClient, ApiError
from ecomctl.shop.logins import customer_login
from ecomctl.shop.orders import FINAL_STATES, resolve_products

POLL_SECONDS = 0.25
PRODUCT_SKUS = tuple(product["sku"] for product in demo_data.PRODUCTS)  # looked up before any step
PROVIDER = "/payments/provider/"
MENDS = {"kill": "start", "stop": "start", "pause": "unpause"}
DONE = {
    "kill": "killed",
    "stop": "stopped",
    "start": "started",
    "restart": "restarted",
    "pause": "paused",
    "unpause": "unpaused",
}


class Interpreter:
    def __init__(self, scenario: ScenarioFile, run: ScenarioRun, watch: EventWatch, record: RunRecord):
        self.scenario, self.run, self.watch, self.record = scenario, run, watch, record
        self._customers: dict[str, ApiClient] = {}

    def play(self) -> None:
        # SKUs are looked up once, while the catalog is up: a scenario may stop it later.
        self._products = {
            str(sku): product_id
            for sku, product_id in zip(
                PRODUCT_SKUS, resolve_products(self.run.customer, list(PRODUCT_SKUS)), strict=True
            )
        }
        for index, rollback in enumerate(self.scenario.rollbacks):
            self.run.breaks(_title(rollback) + _nth(index), functools.partial(self._perform, rollback, None))
        for spec in self.scenario.steady_state:
            self._narrated(spec, prefix="steady state: ")
        for spec in self.scenario.steps:
            self._narrated(spec)

    def steady_state_again(self) -> None:
        for spec in self.scenario.steady_state:
            self._narrated(spec, prefix="steady state again: ")

    def _narrated(self, spec: StepSpec, prefix: str = "") -> None:
        with self.run.step(prefix + _title(spec), expect=spec.expect or _expectation(spec)) as step:
            self._perform(spec, step)

    def _perform(self, spec: StepSpec, step: Step | None) -> None:
        step = step or Step("rollback", "")
        handler = getattr(self, f"_{spec.kind}_{spec.word}", None) or getattr(self, f"_action_{spec.word}")
        handler(spec.arguments, step)

    # Actions.

    def _component_action(self, word: str, arguments: dict, step: Step) -> None:
        component, runtime = arguments["component"], self.run.runtime
        if word in MENDS:
            # The mend is registered before the break, so a failed step or Ctrl-C still mends.
            self.run.breaks(f"{MENDS[word]} {component}", lambda: getattr(runtime, MENDS[word])(component))
            getattr(runtime, word)(component)
        elif self.run.has_mend(f"{word} {component}"):
            self.run.mend(f"{word} {component}")  # the story undoes its own break: the clean-up is spared it
        else:
            getattr(runtime, word)(component)
        step.saw(f"{component} {DONE[word]}")

    def _action_place_order(self, arguments: dict, step: Step) -> None:
        customer = self._customer(arguments.get("as", "alice"))
        items = arguments.get("items") or [{"sku": PRODUCT_SKUS[0], "quantity": 1}]
        ids = [self._product_id(customer, str(item["sku"])) for item in items]
        body = {
            "items": [
                {"product_id": product_id, "quantity": int(item.get("quantity", 1))}
                for product_id, item in zip(ids, items, strict=True)
            ],
            "payment_method": arguments.get("payment_method", "tok_visa"),
        }
        key = f"{self.record.run_id}-{arguments.get('idempotency_key') or uuid.uuid4()}"
        headers = {"Idempotency-Key": key}
        expected = arguments.get("status", 201)
        started = time.monotonic()
        unanswered, said = None, ""
        try:
            order, status = customer.request("POST", "/orders/", json=body, headers=headers), 201
        except ApiError as refused:
            order, status = None, refused.status or 0
            unanswered = None if refused.status else str(refused)  # timed out, or nothing listening
            if refused.body.get("error"):
                said = f" ({refused.body['error']}: {refused.body.get('detail', '')})"
        answered = time.monotonic() - started
        self.record.placed.append(PlacedOrder(order["id"] if order else None, status, answered, key))
        self.run.check(
            status == expected,
            f"{unanswered} Expected {expected}."
            if unanswered
            else f"POST /orders/ answered {status}{said}, not {expected}.",
        )
        if "within_ms" in arguments:
            self.run.check(
                answered * 1000 <= arguments["within_ms"],
                f"POST /orders/ took {answered * 1000:.0f} ms, more than {arguments['within_ms']} ms.",
            )
        if order and "save" in arguments:
            self.record.saved[arguments["save"]] = order
        step.saw(
            f"order {order['id'][:8]} {order['status']} in {answered:.2f} s"
            if order
            else f"refused with {status} in {answered:.2f} s"
        )

    def _action_set_provider(self, arguments: dict, step: Step) -> None:
        admin = self.run.admin()
        before = admin.request("GET", PROVIDER)
        restore = {"latency_ms": before["latency_ms"], "failure_rate": before["failure_rate"]}
        self.run.breaks("reset the payment provider", lambda: admin.request("PUT", PROVIDER, json=restore))
        now = admin.request("PATCH", PROVIDER, json=arguments)
        step.saw(f"provider: latency {now['latency_ms']} ms, failure rate {now['failure_rate']}")

    def _action_publish(self, arguments: dict, step: Step) -> None:
        if "redeliver" in arguments:
            order_id = self._order_id(arguments["order"])
            seen = self.run.eventually(
                lambda: [
                    event for event in self.watch.for_order(order_id) if event.routing_key == arguments["redeliver"]
                ],
                10,
                f"the tap to see {arguments['redeliver']} of order {order_id[:8]}",
            )
            envelope = seen[0].envelope
            routing_key, body, message_id = seen[0].routing_key, json.dumps(envelope).encode(), envelope.get("id")
        else:
            routing_key, body = arguments["routing_key"], arguments.get("body", "")
            body = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            message_id = str(uuid.uuid4())
        publish_raw(self.run.broker_url, self.run.exchange, routing_key, body, message_id=message_id)
        step.saw(f"published {routing_key} ({len(body)} bytes, message id {str(message_id)[:8]})")

    def _action_wait(self, arguments: dict, step: Step) -> None:
        time.sleep(seconds(arguments["for"]))
        step.saw(f"waited {arguments['for']}")

    def _action_narrate(self, arguments: dict, step: Step) -> None:
        step.saw(arguments["text"])

    # Probes.

    def _probe_order_status(self, arguments: dict, step: Step) -> None:
        order_id, wanted = self._order_id(arguments["order"]), arguments["status"]
        read = lambda: self.run.admin().request("GET", f"/orders/{order_id}/")["status"]  # noqa: E731
        if "holds_for" in arguments:
            deadline = time.monotonic() + seconds(arguments["holds_for"])
            while time.monotonic() < deadline:
                status = read()
                self.run.check(
                    status == wanted,
                    f"Order {order_id[:8]} became {status} within {arguments['holds_for']}; it was to stay {wanted}.",
                )
                time.sleep(POLL_SECONDS)
            step.saw(f"order {order_id[:8]} stayed {wanted} for {arguments['holds_for']}")
            return
        status = self._within(
            arguments,
            lambda: (status := read()) == wanted or (status in FINAL_STATES and status),
            f"order {order_id[:8]} to be {wanted}",
        )
        self.run.check(status is True, f"Order {order_id[:8]} is {status}, not {wanted}.")
        step.saw(f"order {order_id[:8]} {wanted}")

    def _probe_http(self, arguments: dict, step: Step) -> None:
        client = self._customer(arguments["as"]) if "as" in arguments else ApiClient(self.run.customer.base_url)
        method, path, wanted = arguments.get("method", "GET"), arguments["path"], arguments.get("status", 200)
        started = time.monotonic()
        try:
            client.request(method, path, json=arguments.get("body"))
            status = 200
        except ApiError as error:
            status = error.status or 0
        milliseconds = (time.monotonic() - started) * 1000
        self.run.check(status == wanted, f"{method} {path} answered {status}, not {wanted}.")
        if "within_ms" in arguments:
            self.run.check(
                milliseconds <= arguments["within_ms"],
                f"{method} {path} took {milliseconds:.0f} ms, more than {arguments['within_ms']} ms.",
            )
        step.saw(f"{method} {path} {status} in {milliseconds:.0f} ms")

    def _probe_queue(self, arguments: dict, step: Step) -> None:
        queue = arguments["queue"]
        found: list[QueueDepth] = []

        def holds():
            depth = queue_depths(self.run.broker_url, [queue])[0]
            found[:] = [depth]
            if depth.messages is None:
                return False
            return (
                (depth.messages, depth.consumers)
                if (
                    ("messages" not in arguments or depth.messages == arguments["messages"])
                    and depth.messages >= arguments.get("messages_at_least", 0)
                    and ("consumers" not in arguments or depth.consumers == arguments["consumers"])
                )
                else False
            )

        wanted = ", ".join(
            f"{key.replace('_', ' ')} {arguments[key]}"
            for key in ("messages", "messages_at_least", "consumers")
            if key in arguments
        )
        try:
            messages, consumers = self._within(arguments, holds, f"{queue} to have {wanted}")
        except ScenarioFailed as failed:
            depth = found[0] if found else None
            now = (
                "it is not declared (its consumer has never started)"
                if depth is None or depth.messages is None
                else f"it has {depth.messages} message(s) and {depth.consumers} consumer(s)"
            )
            raise ScenarioFailed(f"{failed} Last seen: {now}.") from None
        step.saw(f"{queue}: {messages} message(s), {consumers} consumer(s)")

    def _probe_events(self, arguments: dict, step: Step) -> None:
        order_id = self._order_id(arguments["order"])
        wanted: list[str] = arguments["sequence"] if "sequence" in arguments else arguments["contains"]

        def seen() -> list[str] | bool:
            types = self.watch.types_for_order(order_id)
            if "sequence" in arguments:
                return types if [kind for kind in types if kind in wanted] == wanted else False
            return types if set(wanted) <= set(types) else False

        types = self._within(arguments, seen, f"the events {', '.join(wanted)} of order {order_id[:8]}", default="10s")
        flows = {event.envelope.get("correlation_id") for event in self.watch.for_order(order_id)}
        self.run.check(len(flows) == 1, f"The events of order {order_id[:8]} carry {len(flows)} flow ids, not one.")
        step.saw("seen: " + " -> ".join(types))

    def _probe_charges(self, arguments: dict, step: Step) -> None:
        order_id = self._order_id(arguments["order"])
        count = lambda: self._records_of_order("/payments/", order_id)  # noqa: E731
        self._counted(arguments, count, f"payment(s) for order {order_id[:8]}", step)

    def _probe_notifications(self, arguments: dict, step: Step) -> None:
        order_id = self._order_id(arguments["order"])
        count = lambda: self._records_of_order("/notifications/", order_id)  # noqa: E731
        self._counted(arguments, count, f"notification(s) for order {order_id[:8]}", step)

    def _records_of_order(self, path: str, order_id: str) -> int:
        return sum(1 for record in self.run.admin().every(path) if record["order_id"] == order_id)

    def _probe_dead_letters(self, arguments: dict, step: Step) -> None:
        queue = arguments["queue"] if arguments["queue"].endswith(".dlq") else dead_letter_queue(arguments["queue"])
        self.record.expected_dead_letters.add(queue)
        # Counted from where this run found the queue, so earlier runs' dead letters do not count.
        before = self.record.dead_letters_at_start.get(queue, 0)
        exact = "count" in arguments
        wanted: int = arguments["count"] if exact else arguments["at_least"]

        def grown():
            added = (queue_depths(self.run.broker_url, [queue])[0].messages or 0) - before
            return (added == wanted if exact else added >= wanted) and (added or True)

        added = self._within(
            arguments, grown, f"{'exactly' if exact else 'at least'} {wanted} new message(s) in {queue}"
        )
        step.saw(f"{queue}: {0 if added is True else added} new message(s)")

    # Helpers.

    def _counted(self, arguments: dict, count, what: str, step: Step) -> None:
        wanted = arguments["count"]
        found: list[int] = []

        def matches() -> bool:  # a count of 0 is an answer too, so not the count itself
            found[:] = [count()]
            return found[0] == wanted

        try:
            self._within(arguments, matches, f"{wanted} {what}")
        except ScenarioFailed as failed:
            raise ScenarioFailed(f"{failed} Found {found[0]}.") from None
        step.saw(f"{wanted} {what}")

    def _within(self, arguments: dict, condition, what: str, default: str | None = None):
        """condition()'s first truthy answer, at once or polled for `within:`."""
        within = arguments.get("within", default)
        if within is None:
            answer = condition()
            if not answer:
                raise ScenarioFailed(f"Expected {what}; it is not so.")
            return answer
        return self.run.eventually(condition, seconds(within), what, interval=POLL_SECONDS)

    def _product_id(self, customer: ApiClient, sku: str) -> int:
        if sku not in self._products:
            self._products[sku] = resolve_products(customer, [sku])[0]
        return self._products[sku]

    def _customer(self, who: str) -> ApiClient:
        if who == "admin":
            return self.run.admin()
        if who not in self._customers:
            self._customers[who] = customer_login(ApiClient(self.run.customer.base_url), who)
        return self._customers[who]

    def _order_id(self, name: str) -> str:
        if name not in self.record.saved:
            raise ScenarioFailed(f"No order was saved as {name!r}: the step that places it did not succeed.")
        return self.record.saved[name]["id"]


for _word in COMPONENT_ACTIONS:
    setattr(
        Interpreter,
        f"_action_{_word}",
        lambda self, arguments, step, word=_word: self._component_action(word, arguments, step),
    )


def _title(spec: StepSpec) -> str:
    if spec.title:
        return spec.title
    if spec.word in COMPONENT_ACTIONS:
        return f"{spec.word} {spec.arguments['component']}"
    arguments = dict(spec.arguments)
    subject = f" {arguments.pop(spec.word)}" if spec.word in arguments else ""  # "queue payments.order-created"
    shown = ", ".join(f"{key}: {value}" for key, value in arguments.items())
    return f"{spec.word}{subject}{',' if subject and shown else ''} {shown}".strip()


def _expectation(spec: StepSpec) -> str:
    return "done" if spec.kind == "action" else "holds"


def _nth(index: int) -> str:
    return f" (rollback {index + 1})"
