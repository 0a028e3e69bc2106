"""Publishing to the events exchange with publisher confirms and mandatory routing: a
message counts as sent only once the broker has confirmed it was routed and stored."""

from __future__ import annotations

import logging

import pika
from django.conf import settings
from pika.adapters.blocking_connection import BlockingChannel, BlockingConnection
from pika.exceptions import AMQPError, NackError, UnroutableError

from chassis.messaging.config import connection_parameters, setting
from chassis.messaging.topology import require_exchanges

logger = logging.getLogger(__name__)


class PublishFailed(Exception):
    """The broker did not confirm a message; it must stay in the outbox and be retried."""


def event_properties(*, event_id: str, event_type: str, correlation_id: str) -> pika.BasicProperties:
    """What every published event carries besides its body: persistent, and typed and
    correlated in its properties and headers, so tools can route and trace it unopened."""
    return pika.BasicProperties(
        message_id=event_id,
        type=event_type,
        correlation_id=correlation_id,
        app_id=settings.SERVICE_NAME,
        content_type="application/json",
        delivery_mode=pika.DeliveryMode.Persistent,
        headers={"correlation_id": correlation_id, "event_type": event_type},
    )


class ConfirmingPublisher:
    """One broker connection and confirm-mode channel, (re)opened on demand."""

    def __init__(self) -> None:
        self._connection: BlockingConnection | None = None
        self._channel: BlockingChannel | None = None

    def publish(self, *, event_id: str, event_type: str, correlation_id: str, body: bytes) -> None:
        channel = self._open_channel()
        properties = event_properties(event_id=event_id, event_type=event_type, correlation_id=correlation_id)
        try:
            channel.basic_publish(setting("EVENTS_EXCHANGE"), event_type, body, properties, mandatory=True)
        except UnroutableError:
            # With the alternate exchange in place this means the topology is broken.
            raise PublishFailed(f"broker returned {event_type} as unroutable") from None
        except NackError:
            raise PublishFailed(f"broker refused {event_type} (nack)") from None
        except (AMQPError, OSError) as exc:
            self.close()
            raise PublishFailed(f"broker connection lost: {exc!r}") from None

    def keep_alive(self) -> None:
        """Serve heartbeats while the relay waits for work."""
        if self._connection is None:
            return
        try:
            self._connection.process_data_events(time_limit=0)
        except (AMQPError, OSError) as exc:
            logger.warning("broker connection lost while idle", extra={"error": repr(exc)})
            self.close()

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except (AMQPError, OSError):
                pass  # already broken; nothing left to release

    def _open_channel(self) -> BlockingChannel:
        if self._channel is not None and self._channel.is_open:
            return self._channel
        self.close()
        try:
            connection = BlockingConnection(connection_parameters())
            channel = connection.channel()
            require_exchanges(channel)
            channel.confirm_delivery()
        except (AMQPError, OSError) as exc:
            raise PublishFailed(f"broker unreachable: {exc!r}") from None
        self._connection, self._channel = connection, channel
        logger.info("connected to broker", extra={"exchange": setting("EVENTS_EXCHANGE")})
        return channel
