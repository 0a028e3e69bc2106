"""Dead letters against the real RabbitMQ. Each test gets a topology of its own, shaped
like the stack's (a quorum queue with a delivery limit, dead-lettering through a direct
exchange into a quorum DLQ) and deleted afterwards; messages are dead-lettered for real,
then listed and replayed, through the functions and through the CLI."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pika
import pytest
import yaml

from chassis_testing.waiting import wait_until
from ecomctl.broker.dead_letters import (
    DeadLetterProblem,
    Death,
    peek,
    replay,
    resolve_queue,
    returns_count_towards_a_limit,
    waiting,
)
from ecomctl.description.stack_file import STACK_FILE, default_stack
from ecomctl.runtime.local.runtime import LocalRuntime
from support.machine import free_port, relocated_stack

RABBITMQ_URL = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
DELIVERY_LIMIT = 2
EVENT_TYPE = "order.created"
POISON = b"{this is not an event"


@dataclass(frozen=True)
class Topology:
    service: str
    queue: str  # <service>.order-created, like a consumer's queue
    dead_letter_queue: str
    events: str  # the topic exchange events are published to
    dead_letter_exchange: str
    bystander: str  # another subscriber of the same events

    @property
    def queues(self) -> tuple[str, ...]:
        return self.queue, self.dead_letter_queue, self.bystander


@dataclass(frozen=True)
class Sent:
    event_id: str
    correlation_id: str
    body: bytes


def _connection() -> pika.BlockingConnection:
    return pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))


def _depth(name: str) -> int:
    connection = _connection()
    try:
        return connection.channel().queue_declare(name, passive=True).method.message_count
    finally:
        connection.close()


@pytest.fixture
def topology() -> Iterator[Topology]:
    service = f"ecomctl-test-{uuid.uuid4().hex[:12]}"
    names = Topology(
        service=service,
        queue=f"{service}.order-created",
        dead_letter_queue=f"{service}.order-created.dlq",
        events=f"{service}.events",
        dead_letter_exchange=f"{service}.dlx",
        bystander=f"{service}.bystander",
    )
    connection = _connection()
    try:
        channel = connection.channel()
        channel.exchange_declare(names.events, "topic", durable=True)
        channel.exchange_declare(names.dead_letter_exchange, "direct", durable=True)
        channel.queue_declare(names.dead_letter_queue, durable=True, arguments={"x-queue-type": "quorum"})
        channel.queue_bind(names.dead_letter_queue, names.dead_letter_exchange, routing_key=names.queue)
        channel.queue_declare(
            names.queue,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": DELIVERY_LIMIT,
                "x-dead-letter-exchange": names.dead_letter_exchange,
                "x-dead-letter-routing-key": names.queue,
            },
        )
        channel.queue_declare(names.bystander, durable=True, arguments={"x-queue-type": "quorum"})
        for queue in (names.queue, names.bystander):
            channel.queue_bind(queue, names.events, routing_key=EVENT_TYPE)
    finally:
        connection.close()
    try:
        yield names
    finally:
        connection = _connection()  # a fresh one: a failed test may have broken the first
        try:
            channel = connection.channel()
            for queue in names.queues:
                channel.queue_delete(queue)
            for exchange in (names.events, names.dead_letter_exchange):
                channel.exchange_delete(exchange)
        finally:
            connection.close()


@pytest.fixture
def dead_lettered(topology) -> list[Sent]:
    """Three events dead-lettered the ways a consumer does it: an event rejected at once,
    a body that is not an event rejected at once, an event past its delivery limit."""
    sent = [_event(), Sent("poison-1", "flow-poison", POISON), _event()]
    connection = _connection()
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for message in sent:
            channel.basic_publish(
                topology.events,
                EVENT_TYPE,
                message.body,
                pika.BasicProperties(
                    message_id=message.event_id,
                    type=EVENT_TYPE,
                    correlation_id=message.correlation_id,
                    app_id="orders",
                    content_type="application/json",
                    delivery_mode=pika.DeliveryMode.Persistent,
                    headers={"correlation_id": message.correlation_id, "event_type": EVENT_TYPE},
                ),
            )
        for _ in range(2):
            method, _properties, _body = channel.basic_get(topology.queue)
            channel.basic_reject(method.delivery_tag, requeue=False)
        for _ in range(DELIVERY_LIMIT + 1):
            method, _properties, _body = channel.basic_get(topology.queue)
            channel.basic_nack(method.delivery_tag, requeue=True)
    finally:
        connection.close()
    wait_until(
        lambda: _depth(topology.dead_letter_queue) == 3, timeout=10, message="the three messages to be dead-lettered"
    )
    assert _depth(topology.queue) == 0
    return sent


def _event() -> Sent:
    event_id, correlation_id = str(uuid.uuid4()), str(uuid.uuid4())
    envelope = {
        "id": event_id,
        "type": EVENT_TYPE,
        "version": 1,
        "occurred_at": "2024-05-01T12:00:00Z",
        "producer": "orders",
        "correlation_id": correlation_id,
        "causation_id": None,
        "data": {"order_id": str(uuid.uuid4())},
    }
    return Sent(event_id, correlation_id, json.dumps(envelope).encode())


def _take_all(queue: str) -> list[tuple[pika.BasicProperties, bytes]]:
    connection = _connection()
    try:
        channel = connection.channel()
        taken = []
        while (message := channel.basic_get(queue, auto_ack=True))[0] is not None:
            taken.append(message[1:])
        return taken
    finally:
        connection.close()


def test_listing_shows_why_each_was_dead_lettered_and_takes_nothing_out(topology, dead_lettered):
    [held] = peek(RABBITMQ_URL, [topology.queue], limit=10)

    assert (held.name, held.depth) == (topology.dead_letter_queue, 3)
    assert [letter.event_id for letter in held.messages] == [sent.event_id for sent in dead_lettered]
    assert [letter.correlation_id for letter in held.messages] == [sent.correlation_id for sent in dead_lettered]
    assert {letter.event_type for letter in held.messages} == {EVENT_TYPE}
    assert [letter.deaths for letter in held.messages] == [
        (Death("rejected", 1, topology.queue),),
        (Death("rejected", 1, topology.queue),),
        (Death("delivery_limit", 1, topology.queue),),
    ]
    assert [letter.body_preview for letter in held.messages] == [None, POISON.decode(), None]
    assert _depth(topology.dead_letter_queue) == 3
    [again] = peek(RABBITMQ_URL, [topology.queue], limit=10)
    assert again.messages == held.messages


def test_a_shorter_listing_leaves_the_order_as_it_was(topology, dead_lettered):
    [first] = peek(RABBITMQ_URL, [topology.queue], limit=1)
    [everything] = peek(RABBITMQ_URL, [topology.queue], limit=10)

    assert [letter.event_id for letter in first.messages] == [dead_lettered[0].event_id]
    assert [letter.event_id for letter in everything.messages] == [sent.event_id for sent in dead_lettered]


def test_replay_moves_each_back_to_its_own_queue_alone_intact(topology, dead_lettered):
    assert replay(RABBITMQ_URL, topology.queue) == 3

    assert _depth(topology.dead_letter_queue) == 0
    assert _depth(topology.bystander) == 3  # what it got when the events were first published
    replayed = _take_all(topology.queue)
    assert [body for _properties, body in replayed] == [sent.body for sent in dead_lettered]
    for (properties, _body), sent in zip(replayed, dead_lettered, strict=True):
        assert (properties.message_id, properties.correlation_id) == (sent.event_id, sent.correlation_id)
        assert (properties.type, properties.app_id, properties.content_type) == (
            EVENT_TYPE,
            "orders",
            "application/json",
        )
        assert properties.delivery_mode == pika.DeliveryMode.Persistent.value
        assert properties.headers["correlation_id"] == sent.correlation_id
        assert not [name for name in properties.headers if "death" in name]


def test_replay_of_a_count_leaves_the_rest_waiting(topology, dead_lettered):
    assert replay(RABBITMQ_URL, topology.queue, count=2) == 2

    assert waiting(RABBITMQ_URL, topology.queue) == 1
    assert [properties.message_id for properties, _body in _take_all(topology.queue)] == [
        sent.event_id for sent in dead_lettered[:2]
    ]


def test_replay_of_an_empty_dead_letter_queue_replays_nothing(topology):
    assert waiting(RABBITMQ_URL, topology.queue) == 0
    assert replay(RABBITMQ_URL, topology.queue) == 0


def test_a_dead_letter_queue_not_declared_yet_is_explained():
    missing = f"ecomctl-test-{uuid.uuid4().hex[:12]}.order-created"

    [held] = peek(RABBITMQ_URL, [missing], limit=10)
    with pytest.raises(DeadLetterProblem, match="does not exist yet.*ecomctl up"):
        replay(RABBITMQ_URL, missing)

    assert (held.name, held.depth, held.messages) == (f"{missing}.dlq", None, [])


def test_a_queue_is_named_with_or_without_dlq_and_unknown_names_list_the_valid_ones():
    queues = ["orders.payment-results", "payments.order-created"]

    assert resolve_queue("payments.order-created", queues) == "payments.order-created"
    assert resolve_queue("payments.order-created.dlq", queues) == "payments.order-created"
    with pytest.raises(
        DeadLetterProblem,
        match="no consumer queue named 'all'. Choose one of: orders.payment-results, payments.order-created",
    ):
        resolve_queue("all", queues)


@pytest.mark.parametrize(
    ("version", "counted"),
    [
        ("3.10.8", False),
        ("3.13.7", False),
        ("4.0.9", True),
        ("4.2.1", True),
        ("4.3.0", False),
        ("", False),
    ],
)
def test_listing_is_refused_only_where_returns_count_towards_a_default_limit(version, counted):
    assert returns_count_towards_a_limit(version) is counted


# The command line: parsing and errors first, then the same queues through the CLI.


def test_an_unknown_queue_names_the_valid_ones(cli):
    for arguments in (["paymnets.order-created"], ["replay", "paymnets", "--yes"]):
        result = cli("dead-letters", *arguments)

        assert result.exit_code == 1
        assert "no consumer queue named 'paymnets" in result.output
        assert "payments.order-created" in result.output
        assert "Traceback" not in result.output


def test_replay_needs_a_queue(cli):
    result = cli("dead-letters", "replay")

    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_replay_without_a_terminal_to_ask_on_needs_yes(cli):
    result = cli("dead-letters", "replay", "payments.order-created")

    assert result.exit_code == 1
    assert "Add --yes" in result.output


@pytest.fixture
def stack_not_up(tmp_path, monkeypatch):
    """The stack on free ports, so no broker answers (nor a running stack's)."""
    monkeypatch.delenv("ECOMLAB_RABBITMQ_URL", raising=False)
    relocated_stack(tmp_path)
    monkeypatch.setenv("ECOMLAB_STACK_FILE", str(tmp_path / "stack.yaml"))
    default_stack.cache_clear()
    yield
    default_stack.cache_clear()


@pytest.mark.parametrize("arguments", [[], ["replay", "payments.order-created", "--yes"]])
def test_a_stack_that_is_not_up_is_explained(cli, stack_not_up, arguments):
    result = cli("dead-letters", *arguments)

    assert result.exit_code == 1
    assert "RabbitMQ does not answer" in result.output
    assert "ecomctl start rabbitmq" in result.output
    assert "Traceback" not in result.output


class BrokerOfTheTest(LocalRuntime):
    """The local runtime whose broker is the test's own."""

    def broker_url(self) -> str:
        return RABBITMQ_URL


@pytest.fixture
def stack_of(cli, topology, tmp_path, monkeypatch):
    """A stack whose one consumer queue is the test's, on the test's broker."""
    raw = yaml.safe_load(STACK_FILE.read_text())
    raw["services"] = {topology.service: {"port": free_port(), "routes": [], "consumers": ["order-created"]}}
    path = tmp_path / "stack.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    monkeypatch.setenv("ECOMLAB_STACK_FILE", str(path))
    cli.runtime = BrokerOfTheTest
    default_stack.cache_clear()
    yield topology
    default_stack.cache_clear()


def test_the_cli_lists_every_dead_letter_queue_of_the_stack(cli, stack_of, dead_lettered):
    result = cli("dead-letters")

    assert result.exit_code == 0, result.output
    assert f"{stack_of.dead_letter_queue}  3 message(s)" in result.output
    assert dead_lettered[0].event_id[:8] in result.output
    assert "rejected ×1" in result.output
    assert "delivery_limit ×1" in result.output
    assert POISON.decode() in result.output
    assert _depth(stack_of.dead_letter_queue) == 3


def test_the_cli_lists_one_queue_as_json(cli, stack_of, dead_lettered):
    result = cli("dead-letters", stack_of.dead_letter_queue, "--json", "--limit", "2")

    [held] = json.loads(result.output)
    assert (held["name"], held["depth"], len(held["messages"])) == (stack_of.dead_letter_queue, 3, 2)
    assert held["messages"][0]["deaths"] == [{"reason": "rejected", "count": 1, "queue": stack_of.queue}]


def test_the_cli_replays_then_has_nothing_to_replay(cli, stack_of, dead_lettered):
    replayed = cli("dead-letters", "replay", stack_of.queue, "--yes")
    again = cli("dead-letters", "replay", stack_of.queue, "--yes")

    assert replayed.exit_code == 0, replayed.output
    assert f"replayed 3 message(s) from {stack_of.dead_letter_queue} to {stack_of.queue}" in replayed.output
    assert again.exit_code == 0
    assert f"Nothing to replay: {stack_of.dead_letter_queue} is empty" in again.output
    assert _depth(stack_of.queue) == 3


def test_the_cli_asks_on_a_terminal_and_replays_nothing_when_told_no(cli, stack_of, dead_lettered, monkeypatch):
    monkeypatch.setattr("ecomctl.commands.dead_letters._stdin_is_terminal", lambda: True)

    declined = cli("dead-letters", "replay", stack_of.queue, "--count", "1", input="n\n")
    assert "Replay 1 of 3 message(s)" in declined.output
    assert declined.exit_code == 1
    assert _depth(stack_of.dead_letter_queue) == 3

    accepted = cli("dead-letters", "replay", stack_of.queue, input="y\n")
    assert accepted.exit_code == 0
    assert _depth(stack_of.dead_letter_queue) == 0
