"""The consumer runner: one broker connection whose I/O thread keeps heartbeats going,
and one worker thread that handles deliveries in order and hands acks back through
add_callback_threadsafe (pika's documented pattern for slow handlers)."""

from __future__ import annotations

import functools
import logging
import queue
import threading
import time
from dataclasses import dataclass

from pika.adapters.blocking_connection import BlockingChannel, BlockingConnection
from pika.exceptions import AMQPError

from chassis.messaging.config import Backoff, connection_parameters, setting
from chassis.messaging.inbox import InboxProcessor, Outcome
from chassis.messaging.registry import ConsumerSpec
from chassis.messaging.topology import declare_consumer_queue, declare_exchanges

logger = logging.getLogger(__name__)

_SHUTDOWN_GRACE_SECONDS = 30.0


class ConsumerCancelled(Exception):
    """The broker cancelled our consumer (its queue was deleted); reconnect and redeclare."""


@dataclass(frozen=True)
class _Delivery:
    connection: BlockingConnection
    channel: BlockingChannel
    delivery_tag: int
    routing_key: str
    delivery_count: int
    body: bytes


class ConsumerRunner:
    def __init__(self, spec: ConsumerSpec):
        self.spec = spec
        self._stop = threading.Event()
        self._deliveries: queue.Queue[_Delivery | None] = queue.Queue()
        self._processor = InboxProcessor(spec, stop=self._stop)

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Consume until stop() is called, reconnecting with backoff after broker failures."""
        worker = threading.Thread(target=self._work, name=f"consumer-{self.spec.name}", daemon=True)
        worker.start()
        backoff = Backoff()
        try:
            while not self._stop.is_set():
                try:
                    self._consume(backoff)
                except (AMQPError, OSError, ConsumerCancelled) as exc:
                    delay = backoff.wait(self._stop)
                    logger.warning(
                        "broker connection lost; reconnecting", extra={"error": repr(exc), "retry_in": delay}
                    )
        finally:
            self._deliveries.put(None)
            worker.join(_SHUTDOWN_GRACE_SECONDS)
            logger.info("consumer stopped", extra={"consumer": self.spec.name})

    def _consume(self, backoff: Backoff) -> None:
        connection = BlockingConnection(connection_parameters())
        try:
            channel = connection.channel()
            declare_exchanges(channel)
            declare_consumer_queue(channel, self.spec.queue, self.spec.handlers)
            channel.basic_qos(prefetch_count=int(setting("EVENTS_PREFETCH")))
            channel.basic_consume(
                self.spec.queue, functools.partial(self._on_message, connection), auto_ack=False
            )
            backoff.reset()
            logger.info("consuming", extra={"consumer": self.spec.name, "queue": self.spec.queue})
            while not self._stop.is_set():
                connection.process_data_events(time_limit=1)
                if not channel.consumer_tags:
                    raise ConsumerCancelled(f"the broker cancelled the consumer of {self.spec.queue}")
            for consumer_tag in list(channel.consumer_tags):
                channel.basic_cancel(consumer_tag)
            self._finish_in_flight(connection)
        finally:
            if connection.is_open:
                try:
                    connection.close()
                except (AMQPError, OSError):
                    pass  # closing a broken connection; unacked messages are requeued anyway

    def _on_message(self, connection, channel, method, properties, body) -> None:
        headers = properties.headers or {}
        self._deliveries.put(
            _Delivery(
                connection=connection,
                channel=channel,
                delivery_tag=method.delivery_tag,
                routing_key=method.routing_key,
                delivery_count=int(headers.get("x-delivery-count", 0) or 0),
                body=body,
            )
        )

    def _finish_in_flight(self, connection: BlockingConnection) -> None:
        """Serve the connection until the worker has settled what it started."""
        deadline = time.monotonic() + _SHUTDOWN_GRACE_SECONDS
        while self._deliveries.unfinished_tasks and time.monotonic() < deadline:
            connection.process_data_events(time_limit=0.1)
        connection.process_data_events(time_limit=0)

    def _work(self) -> None:
        while (delivery := self._deliveries.get()) is not None:
            try:
                # After a reconnect or during shutdown the broker redelivers these anyway.
                if delivery.channel.is_open and not self._stop.is_set():
                    outcome = self._processor.process(
                        delivery.body, routing_key=delivery.routing_key, delivery_count=delivery.delivery_count
                    )
                    self._settle_later(delivery, outcome)
            except Exception:  # the worker must outlive any single message
                logger.exception("unexpected error while handling a delivery")
                self._settle_later(delivery, Outcome.REQUEUE)
            finally:
                self._deliveries.task_done()
        self._deliveries.task_done()

    def _settle_later(self, delivery: _Delivery, outcome: Outcome) -> None:
        try:
            delivery.connection.add_callback_threadsafe(functools.partial(_settle, delivery, outcome))
        except (AMQPError, OSError) as exc:
            logger.warning(
                "connection closed before the acknowledgement; the broker will redeliver",
                extra={"outcome": outcome.value, "error": repr(exc)},
            )


def _settle(delivery: _Delivery, outcome: Outcome) -> None:
    channel = delivery.channel
    if not channel.is_open:
        return
    if outcome is Outcome.ACK:
        channel.basic_ack(delivery.delivery_tag)
    elif outcome is Outcome.REJECT:
        channel.basic_reject(delivery.delivery_tag, requeue=False)
    else:
        channel.basic_nack(delivery.delivery_tag, requeue=True)
