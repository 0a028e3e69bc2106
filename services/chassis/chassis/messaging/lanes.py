"""Publishing a batch over several confirm-mode connections at once. A publisher confirm
costs a broker round trip (and, for quorum queues, a log write); waiting for each in turn
caps one connection at about a thousand events a second, so a batch is split into lanes
that wait side by side.

Events of one flow (one correlation id) always take the same lane, in outbox order, so a
flow's events reach the exchange in the order they were committed.
"""

from __future__ import annotations

import zlib
from concurrent.futures import ThreadPoolExecutor

from chassis.correlation import correlation_scope
from chassis.messaging.publisher import ConfirmingPublisher, PublishFailed

Row = tuple[str, str, str, str]  # event id, event type, body, correlation id


class PublishLanes:
    def __init__(self, count: int, *, on_published=None, on_failed=None):
        self.count = max(1, count)
        self._publishers = [ConfirmingPublisher() for _ in range(self.count)]
        # One thread per lane, so each pika connection is only ever used by one thread.
        self._threads = [ThreadPoolExecutor(max_workers=1) for _ in range(self.count)]
        self._on_published = on_published or (lambda row: None)
        self._on_failed = on_failed or (lambda row, error: None)

    def publish(self, rows: list[Row]) -> tuple[list[str], str | None]:
        """Publish every row; returns the ids the broker confirmed and the first error.
        Within a lane, publishing stops at its first failure so later events of a flow
        never overtake an earlier one."""
        lanes: list[list[Row]] = [[] for _ in range(self.count)]
        for row in rows:
            lanes[zlib.crc32((row[3] or row[0]).encode()) % self.count].append(row)
        futures = []
        for publisher, thread, lane in zip(self._publishers, self._threads, lanes):
            if lane:
                futures.append(thread.submit(self._publish_lane, publisher, lane))
            else:
                # A lane left out of busy batches must still answer the broker's heartbeats.
                thread.submit(publisher.keep_alive)
        published: list[str] = []
        first_error = None
        for future in futures:
            lane_published, error = future.result()
            published += lane_published
            first_error = first_error or error
        return published, first_error

    def _publish_lane(self, publisher: ConfirmingPublisher, rows: list[Row]) -> tuple[list[str], str | None]:
        published: list[str] = []
        for row in rows:
            event_id, event_type, body, correlation_id = row
            with correlation_scope(correlation_id):
                try:
                    publisher.publish(event_id=event_id, event_type=event_type,
                                      correlation_id=correlation_id, body=body.encode())
                except PublishFailed as exc:
                    self._on_failed(row, str(exc))
                    return published, str(exc)
                self._on_published(row)
            published.append(event_id)
        return published, None

    def keep_alive(self) -> None:
        for publisher, thread in zip(self._publishers, self._threads):
            thread.submit(publisher.keep_alive).result()

    def close(self) -> None:
        for publisher, thread in zip(self._publishers, self._threads):
            thread.submit(publisher.close).result()
            thread.shutdown(wait=True)
