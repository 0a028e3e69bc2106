"""Publishing raw bytes on the events exchange, as any client of the broker could."""

from __future__ import annotations

import pika

from ecomctl.broker.connection import connect


def publish_raw(url: str, exchange: str, routing_key: str, body: bytes, *, message_id: str) -> None:
    """Publish bytes to the exchange as any client of the broker could, confirmed and
    routed (mandatory), to show what consumers make of duplicates and of garbage."""
    connection = connect(url)
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            exchange,
            routing_key,
            body,
            pika.BasicProperties(delivery_mode=2, message_id=message_id, content_type="application/json"),
            mandatory=True,
        )
    finally:
        connection.close()
