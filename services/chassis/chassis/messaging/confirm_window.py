"""Publishing a batch with publisher confirms, every message of it in flight at once.

A confirm costs the broker a round trip (and, for quorum queues, a log write). Waiting for
each before sending the next caps a connection at about a thousand messages a second, so
the window sends the whole batch and then collects the confirms, which the broker gives
as it stores the messages, often several in one frame (`multiple`). A message counts as
published only once the broker has acked it and did not return it as unroutable.

pika's asynchronous SelectConnection carries the window on an I/O thread of its own, which
also answers the broker's heartbeats while the relay waits on the database. The relay's
thread hands it a batch and waits for the outcome of each message; only the I/O thread
touches the connection.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
from dataclasses import dataclass, field

import pika
from pika.adapters.select_connection import IOLoop
from pika.channel import Channel
from pika.exceptions import AMQPError
from pika.spec import Basic

from chassis.messaging.config import connection_parameters, setting
from chassis.messaging.publisher import event_properties

logger = logging.getLogger(__name__)

Row = tuple[str, str, str, str]  # event id, event type, body, correlation id

# Longer than the broker takes under any load we run, short enough that a broker which has
# stopped answering does not hold the outbox rows' locks for long.
CONFIRM_TIMEOUT_SECONDS = 30.0
CLOSE_TIMEOUT_SECONDS = 5.0


@dataclass
class _Batch:
    rows: list[Row]
    outcomes: dict[str, str | None] = field(default_factory=dict)  # event id -> None or why not
    returned: set[str] = field(default_factory=set)
    done: threading.Event = field(default_factory=threading.Event)

    def refusal(self, event_id: str, acked: bool) -> str | None:
        """Why a message the broker has answered for is not published, or None if it is."""
        if acked and event_id not in self.returned:
            return None
        event_type = next(row[1] for row in self.rows if row[0] == event_id)  # rare: no index kept
        if not acked:
            return f"broker refused {event_type} (nack)"
        # With the alternate exchange in place this means the topology is broken.
        return f"broker returned {event_type} as unroutable"

    def settle(self, event_id: str, error: str | None) -> None:
        self.outcomes.setdefault(event_id, error)

    def fail_unsettled(self, error: str) -> None:
        for row in self.rows:
            self.settle(row[0], error)
        self.done.set()


class ConfirmWindow:
    def __init__(self) -> None:
        self._ioloop = IOLoop()
        self._thread = threading.Thread(target=self._ioloop.start, name="confirm-window", daemon=True)
        self._thread.start()
        # Touched by the I/O thread only:
        self._connection: pika.SelectConnection | None = None
        self._channel: Channel | None = None  # open, exchanges checked, in confirm mode
        self._batch: _Batch | None = None
        self._in_flight: dict[int, str] = {}  # delivery tag -> event id, oldest first
        self._next_tag = 1
        self._closing = False

    def publish(self, rows: list[Row]) -> dict[str, str | None]:
        """Send every row, then wait for the broker's word on each: returns, per event id,
        None if it was confirmed, else why it was not."""
        if not rows:
            return {}
        batch = _Batch(list(rows))
        self._ioloop.add_callback_threadsafe(functools.partial(self._start, batch))
        if not batch.done.wait(CONFIRM_TIMEOUT_SECONDS):
            self._ioloop.add_callback_threadsafe(
                functools.partial(
                    self._abandon, batch, f"no confirm from the broker within {CONFIRM_TIMEOUT_SECONDS:.0f} s"
                )
            )
            batch.done.wait()
        return batch.outcomes

    def close(self) -> None:
        if not self._thread.is_alive():
            return
        self._ioloop.add_callback_threadsafe(self._shut_down)
        self._thread.join(CLOSE_TIMEOUT_SECONDS)
        if self._thread.is_alive():  # the broker never answered the close
            self._ioloop.add_callback_threadsafe(self._ioloop.stop)
            self._thread.join()
        self._ioloop.close()

    # Everything below runs on the I/O thread.

    def _start(self, batch: _Batch) -> None:
        self._batch = batch
        if self._channel is not None:
            self._send(self._channel, batch)
        elif self._connection is None:
            self._connect()
        # else: a connection is being opened; _ready() sends the batch

    def _connect(self) -> None:
        try:
            self._connection = pika.SelectConnection(
                connection_parameters(),
                on_open_callback=self._on_connection_open,
                on_open_error_callback=self._on_connection_error,
                on_close_callback=self._on_connection_closed,
                custom_ioloop=self._ioloop,
            )
        except (AMQPError, OSError) as exc:
            self._fail_batch(f"broker unreachable: {exc!r}")

    def _on_connection_open(self, connection) -> None:
        connection.channel(on_open_callback=self._on_channel_open)

    def _on_connection_error(self, connection, exc) -> None:
        self._connection = None
        if self._closing:
            self._ioloop.stop()
            return
        self._fail_batch(f"broker unreachable: {exc!r}")

    def _on_channel_open(self, channel) -> None:
        channel.add_on_close_callback(self._on_channel_closed)
        channel.add_on_return_callback(self._on_return)
        # The exchanges belong to the operator; a missing one closes the channel (404).
        events, dead_letters = setting("EVENTS_EXCHANGE"), setting("EVENTS_DEAD_LETTER_EXCHANGE")
        channel.exchange_declare(
            events,
            passive=True,
            callback=lambda _: channel.exchange_declare(
                dead_letters,
                passive=True,
                callback=lambda _: channel.confirm_delivery(self._on_confirm, callback=lambda _: self._ready(channel)),
            ),
        )

    def _ready(self, channel: Channel) -> None:
        self._channel, self._next_tag = channel, 1
        logger.info("connected to broker", extra={"exchange": setting("EVENTS_EXCHANGE")})
        if self._batch is not None:
            self._send(channel, self._batch)

    def _send(self, channel: Channel, batch: _Batch) -> None:
        exchange = setting("EVENTS_EXCHANGE")
        for event_id, event_type, body, correlation_id in batch.rows:
            properties = event_properties(event_id=event_id, event_type=event_type, correlation_id=correlation_id)
            try:
                channel.basic_publish(exchange, event_type, body.encode(), properties, mandatory=True)
            except (AMQPError, OSError) as exc:
                self._drop_connection(f"broker connection lost: {exc!r}")
                return
            self._in_flight[self._next_tag] = event_id
            self._next_tag += 1

    def _on_return(self, channel, method, properties, body) -> None:
        # The broker sends basic.return before the ack of the same message.
        if self._batch is not None:
            self._batch.returned.add(properties.message_id)

    def _on_confirm(self, frame) -> None:
        method, batch = frame.method, self._batch
        acked = isinstance(method, Basic.Ack)
        if method.multiple:  # every message up to and including this tag
            tags = list(itertools.takewhile(lambda tag: tag <= method.delivery_tag, self._in_flight))
        else:
            tags = [method.delivery_tag] if method.delivery_tag in self._in_flight else []
        for tag in tags:
            event_id = self._in_flight.pop(tag)
            if batch is not None:
                batch.settle(event_id, batch.refusal(event_id, acked))
        if batch is not None and not self._in_flight and len(batch.outcomes) == len(batch.rows):
            self._batch = None
            batch.done.set()

    def _on_channel_closed(self, channel, reason) -> None:
        was_ready, self._channel = self._channel is not None, None
        self._drop_connection(f"broker connection lost: {reason!r}" if was_ready else f"broker unreachable: {reason!r}")

    def _on_connection_closed(self, connection, reason) -> None:
        self._connection, self._channel = None, None
        if self._closing:
            self._ioloop.stop()
            return
        self._fail_batch(f"broker connection lost: {reason!r}")
        logger.warning("broker connection closed", extra={"error": repr(reason)})

    def _abandon(self, batch: _Batch, error: str) -> None:
        if batch is self._batch:
            # Which of its messages the broker stored is unknown: they stay pending and are
            # sent again on a fresh connection (consumers drop the duplicates).
            self._drop_connection(error)
        batch.fail_unsettled(error)

    def _drop_connection(self, error: str) -> None:
        self._fail_batch(error)
        self._channel = None
        if self._connection is not None and not (self._connection.is_closing or self._connection.is_closed):
            self._connection.close()

    def _fail_batch(self, error: str) -> None:
        self._in_flight.clear()
        batch, self._batch = self._batch, None
        if batch is not None:
            batch.fail_unsettled(error)

    def _shut_down(self) -> None:
        self._closing = True
        self._fail_batch("the publisher was closed")
        connection = self._connection
        if connection is None or connection.is_closed:
            self._ioloop.stop()
        elif not connection.is_closing:
            connection.close()  # _on_connection_closed stops the loop
