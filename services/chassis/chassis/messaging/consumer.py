"""The consumer runner: one broker connection whose I/O thread keeps heartbeats going,
and one worker thread that handles deliveries in order and hands acks back through
add_callback_threadsafe (pika's documented pattern for slow handlers).

The worker takes whatever deliveries are already waiting (up to EVENTS_BATCH_SIZE) and
handles them in one transaction; under light load that is one message, so nothing
waits for a batch to fill."""

from __future__ import annotations

import functools
import logging
import queue
import threading
import time
from dataclasses import dataclass

from pika.adapters.blocking_connection import BlockingChannel, BlockingConnection
from pika.exceptions import AMQPError

from chassis import switches
from chassis.liveness import Heartbeat
from chassis.messaging.config import Backoff, connection_parameters, setting
from chassis.messaging.inbox import InboxProcessor, Message, Outcome
from chassis.messaging.registry import ConsumerSpec
from chassis.messaging.topology import declare_consumer_queue, require_exchanges

logger = logging.getLogger(__name__)

_SHUTDOWN_GRACE_SECONDS = 30.0


class ConsumerCancelled(Exception):
    """The broker cancelled our consumer (its queue was deleted); reconnect and redeclare."""


@dataclass(frozen=True)
class _Delivery:
    connection: BlockingConnection
    channel: BlockingChannel
    delivery_tag: int
    message: Message
    acked_on_arrival: bool = False  # the ack-first teaching switch


class ConsumerRunner:
    def __init__(self, spec: ConsumerSpec):
        self.spec = spec
        self._stop = threading.Event()
        self._deliveries: queue.Queue[_Delivery | None] = queue.Queue()
        self._processor = InboxProcessor(spec, stop=self._stop)
        self._batch_size = max(1, int(setting("EVENTS_BATCH_SIZE")))
        self._heartbeat = Heartbeat()  # beats while connected and consuming

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
            require_exchanges(channel)
            declare_consumer_queue(channel, self.spec.queue, self.spec.handlers)
            channel.basic_qos(prefetch_count=int(setting("EVENTS_PREFETCH")))
            channel.basic_consume(self.spec.queue, functools.partial(self._on_message, connection), auto_ack=False)
            backoff.reset()
            logger.info("consuming", extra={"consumer": self.spec.name, "queue": self.spec.queue})
            while not self._stop.is_set():
                connection.process_data_events(time_limit=1)
                self._heartbeat.beat()
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
        ack_first = switches.is_on("ack-first")
        if ack_first:
            # What the safeguard avoids: from here on the broker has forgotten the message,
            # so a crash before the handler commits loses it.
            channel.basic_ack(method.delivery_tag)
        self._deliveries.put(
            _Delivery(
                connection=connection,
                channel=channel,
                delivery_tag=method.delivery_tag,
                message=Message(
                    body=body,
                    routing_key=method.routing_key,
                    delivery_count=int(headers.get("x-delivery-count", 0) or 0),
                ),
                acked_on_arrival=ack_first,
            )
        )

    def _finish_in_flight(self, connection: BlockingConnection) -> None:
        """Serve the connection until the worker has settled what it started."""
        deadline = time.monotonic() + _SHUTDOWN_GRACE_SECONDS
        while self._deliveries.unfinished_tasks and time.monotonic() < deadline:
            connection.process_data_events(time_limit=0.1)
        connection.process_data_events(time_limit=0)

    def _work(self) -> None:
        while True:
            batch = self._next_batch()
            deliveries = [delivery for delivery in batch if delivery is not None]
            try:
                self._handle(deliveries)
            finally:
                for _ in batch:
                    self._deliveries.task_done()
            if len(deliveries) < len(batch):
                return  # the run loop has ended

    def _next_batch(self) -> list[_Delivery | None]:
        """The next delivery (waiting for it) and those queued behind it; None ends a batch."""
        batch = [self._deliveries.get()]
        while batch[-1] is not None and len(batch) < self._batch_size:
            try:
                batch.append(self._deliveries.get_nowait())
            except queue.Empty:
                break
        return batch

    def _handle(self, deliveries: list[_Delivery]) -> None:
        # After a reconnect or during shutdown the broker redelivers these anyway.
        deliveries = [delivery for delivery in deliveries if delivery.channel.is_open]
        if not deliveries or self._stop.is_set():
            return
        try:
            outcomes = self._processor.process_batch([delivery.message for delivery in deliveries])
        except Exception:  # the worker must outlive any batch
            logger.exception("unexpected error while handling deliveries")
            outcomes = [Outcome.REQUEUE] * len(deliveries)
        self._settle_later(deliveries, outcomes)

    def _settle_later(self, deliveries: list[_Delivery], outcomes: list[Outcome]) -> None:
        connection = deliveries[0].connection
        try:
            connection.add_callback_threadsafe(functools.partial(_settle, deliveries, outcomes))
        except (AMQPError, OSError) as exc:
            logger.warning(
                "connection closed before the acknowledgements; the broker will redeliver",
                extra={"deliveries": len(deliveries), "error": repr(exc)},
            )


def _settle(deliveries: list[_Delivery], outcomes: list[Outcome]) -> None:
    for delivery, outcome in zip(deliveries, outcomes, strict=True):
        channel = delivery.channel
        if not channel.is_open or delivery.acked_on_arrival:
            continue
        if outcome is Outcome.ACK:
            channel.basic_ack(delivery.delivery_tag)
        else:
            # basic.reject, not basic.nack: from RabbitMQ 4.3 only a reject counts towards
            # the queue's delivery limit, so only it lets a poison message be dead-lettered.
            channel.basic_reject(delivery.delivery_tag, requeue=outcome is Outcome.REQUEUE)
