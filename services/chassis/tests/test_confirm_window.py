"""The confirm window against the real broker: what it reports for each way a publish can
go wrong, and that it recovers on a fresh connection."""

import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.test import override_settings

from chassis.messaging.confirm_window import ConfirmWindow
from tests.support.forwarder import TcpForwarder


def rows(count: int, event_type: str = "order.created") -> list[tuple[str, str, str, str]]:
    return [(str(uuid.uuid4()), event_type, '{"n": %d}' % n, f"flow-window-{n}") for n in range(count)]


@pytest.fixture
def window(broker_url):
    window = ConfirmWindow()
    yield window
    window.close()


def test_a_batch_is_confirmed_whole(window, tap):
    batch = rows(300)
    outcomes = window.publish(batch)
    assert outcomes == {row[0]: None for row in batch}
    assert [properties.message_id for properties, _ in tap.drain()] == [row[0] for row in batch]


def test_the_next_batch_reuses_the_connection(window, tap):
    window.publish(rows(2))
    connection = window._connection
    assert set(window.publish(rows(2)).values()) == {None}
    assert window._connection is connection


def test_an_unroutable_event_is_reported_not_counted(window, channel, settings):
    # An exchange without the alternate exchange and with no queue bound: the broker
    # returns the mandatory message, then acks it.
    bare = f"chassis-test.window-{uuid.uuid4().hex[:6]}"
    channel.exchange_declare(bare, "topic", auto_delete=True)
    try:
        settings.EVENTS_EXCHANGE = bare
        outcomes = window.publish(rows(3, "order.nobody"))
    finally:
        channel.exchange_delete(bare)
    assert set(outcomes.values()) == {"broker returned order.nobody as unroutable"}


def test_a_missing_exchange_fails_the_batch_and_says_which(window, settings):
    settings.EVENTS_EXCHANGE = f"chassis-test.absent-{uuid.uuid4().hex[:6]}"
    outcomes = window.publish(rows(2))
    assert len(outcomes) == 2
    assert all("broker unreachable" in error and "NOT_FOUND" in error for error in outcomes.values())


def test_a_lost_connection_fails_the_batch_after_it(broker_url, tap):
    broker = urlsplit(broker_url)
    forwarder = TcpForwarder(target_host=broker.hostname, target_port=broker.port or 5672)
    forwarder.start()
    behind_forwarder = urlunsplit(
        broker._replace(netloc=f"{broker.netloc.rpartition('@')[0]}@127.0.0.1:{forwarder.port}")
    )
    try:
        with override_settings(RABBITMQ_URL=behind_forwarder):
            window = ConfirmWindow()
            try:
                first = rows(5)
                assert set(window.publish(first).values()) == {None}
                forwarder.close()  # cuts the connection under the window
                forwarder = TcpForwarder(target_host=broker.hostname, target_port=broker.port or 5672)
                lost = window.publish(rows(5))
                assert all(error and ("connection lost" in error or "unreachable" in error) for error in lost.values())
            finally:
                window.close()
    finally:
        forwarder.close()
    received = [properties.message_id for properties, _ in tap.drain()]
    assert received[:5] == [row[0] for row in first]


def test_a_window_reconnects_after_the_broker_comes_back(broker_url, tap):
    broker = urlsplit(broker_url)
    forwarder = TcpForwarder(target_host=broker.hostname, target_port=broker.port or 5672)
    behind_forwarder = urlunsplit(
        broker._replace(netloc=f"{broker.netloc.rpartition('@')[0]}@127.0.0.1:{forwarder.port}")
    )
    try:
        with override_settings(RABBITMQ_URL=behind_forwarder):
            window = ConfirmWindow()
            try:
                refused = window.publish(rows(2))
                assert all("broker unreachable" in error for error in refused.values())
                forwarder.start()
                again = rows(2)
                assert set(window.publish(again).values()) == {None}
            finally:
                window.close()
    finally:
        forwarder.close()
    assert [properties.message_id for properties, _ in tap.drain()] == [row[0] for row in again]


def test_closing_a_window_that_never_connected_returns_at_once(broker_url):
    window = ConfirmWindow()
    window.close()
    window.close()  # and twice is harmless
