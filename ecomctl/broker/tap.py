"""A live tap on every event on the exchange. Returns data; drawing it is the views' job."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pika.exceptions

from ecomctl.broker.connection import BrokerUnreachable, connect


@dataclass(frozen=True)
class TappedEvent:
    routing_key: str
    envelope: dict


def tap(
    url: str, exchange: str, *, binding: str = "#", inactivity_timeout: float = 1.0
) -> Iterator[TappedEvent | None]:
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
