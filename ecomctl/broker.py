"""What ecomctl reads from RabbitMQ: queue names, queue depths and a live tap on every
event. Returns data; drawing it is the views' job."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pika
import pika.exceptions

from ecomctl.description.stack_file import Stack


class BrokerUnreachable(Exception):
    pass


@dataclass(frozen=True)
class QueueDepth:
    name: str
    messages: int | None  # None: the queue does not exist (yet)
    consumers: int | None


@dataclass(frozen=True)
class TappedEvent:
    routing_key: str
    envelope: dict


DEAD_LETTER_SUFFIX = ".dlq"


def consumer_queues(stack: Stack) -> list[str]:
    """Every consumer's queue, `<service>.<consumer>`, in stack.yaml's order."""
    return [f"{service.name}.{consumer}" for service in stack.services for consumer in service.consumers]


def dead_letter_queue(queue: str) -> str:
    return queue + DEAD_LETTER_SUFFIX


def queue_names(stack: Stack) -> list[str]:
    names = [name for queue in consumer_queues(stack) for name in (queue, dead_letter_queue(queue))]
    # The unrouted exchange's queue has the exchange's name.
    return names + [stack.events["unrouted_exchange"]]


def connect(url: str) -> pika.BlockingConnection:
    parameters = pika.URLParameters(url)
    parameters.connection_attempts = 1
    parameters.socket_timeout = 3
    parameters.blocked_connection_timeout = 5
    try:
        return pika.BlockingConnection(parameters)
    except pika.exceptions.AMQPError as error:
        raise BrokerUnreachable(
            f"RabbitMQ does not answer at {parameters.host}:{parameters.port} ({type(error).__name__}). "
            "Is the stack up (`ecomctl status`) and the broker started (`ecomctl start rabbitmq`)?"
        ) from None


def publish_raw(url: str, exchange: str, routing_key: str, body: bytes, *, message_id: str) -> None:
    """Publish bytes to the exchange as any client of the broker could, confirmed and
    routed (mandatory), to show what consumers make of duplicates and of garbage."""
    connection = connect(url)
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(exchange, routing_key, body, pika.BasicProperties(
            delivery_mode=2, message_id=message_id, content_type="application/json"), mandatory=True)
    finally:
        connection.close()


def queue_depths(url: str, names: list[str]) -> list[QueueDepth]:
    connection = connect(url)
    depths = []
    try:
        for name in names:
            channel = connection.channel()
            try:
                declared = channel.queue_declare(queue=name, passive=True)
                depths.append(QueueDepth(name, declared.method.message_count, declared.method.consumer_count))
                channel.close()
            except pika.exceptions.ChannelClosedByBroker:
                depths.append(QueueDepth(name, None, None))  # a passive declare of a missing queue closes the channel
    finally:
        connection.close()
    return depths


def tap(url: str, exchange: str, *, binding: str = "#", inactivity_timeout: float = 1.0) -> Iterator[TappedEvent | None]:
    """Every event on the exchange from now on, through a private exclusive queue that the
    broker deletes when we leave. Yields None on each idle second so callers can stop."""
    connection = connect(url)
    try:
        channel = connection.channel()
        queue = channel.queue_declare(queue="", exclusive=True, auto_delete=True).method.queue
        channel.queue_bind(queue=queue, exchange=exchange, routing_key=binding)
        for method, _properties, body in channel.consume(queue, auto_ack=True, inactivity_timeout=inactivity_timeout):
            if method is None:
                yield None
                continue
            try:
                envelope = json.loads(body)
            except ValueError:
                envelope = {"type": method.routing_key, "data": {"raw": body[:200].decode(errors="replace")}}
            yield TappedEvent(method.routing_key, envelope if isinstance(envelope, dict) else {"data": envelope})
    except pika.exceptions.ChannelClosedByBroker as error:
        raise BrokerUnreachable(
            f"Cannot tap exchange {exchange}: {error.reply_text}. Start the stack so it is declared."
        ) from None
    except pika.exceptions.AMQPConnectionError:
        raise BrokerUnreachable("The connection to RabbitMQ was lost; is the broker stopped?") from None
    finally:
        if connection.is_open:
            connection.close()
