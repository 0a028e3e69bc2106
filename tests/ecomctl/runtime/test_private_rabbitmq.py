"""A private RabbitMQ node: its own name, ports and port mapper; AMQP works while it
runs, rabbitmqctl reaches it with its cookie, and after a stop nothing answers."""

from __future__ import annotations

import pika
import pika.exceptions
import pytest

from ecomctl.runtime.local.accounts import infra_account
from ecomctl.runtime.local.rabbitmq import COMPONENT, PrivateRabbitMQ
from ecomctl.runtime.ports import port_is_free
from ecomctl.runtime.readiness import AmqpConnects, wait_until_ready

pytestmark = pytest.mark.usefixtures("rabbitmq_binaries")


def test_node_serves_amqp_then_refuses_after_stop(stack, layout, supervised):
    node = PrivateRabbitMQ(stack, layout, infra_account("rabbitmq"))
    node.prepare()
    supervisor = supervised([node.program()])

    supervisor.start(COMPONENT)
    wait_until_ready(COMPONENT, AmqpConnects(node.url), timeout=60)
    connection = pika.BlockingConnection(pika.URLParameters(node.url))
    channel = connection.channel()
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.basic_publish("", queue, b"hello")
    received = channel.basic_get(queue, auto_ack=True)[2]
    connection.close()
    listed = node.rabbitmqctl("list_vhosts", "--quiet")

    supervisor.stop(COMPONENT)
    node.stop_port_mapper()

    assert received == b"hello"
    assert listed.returncode == 0 and "/" in listed.stdout
    with pytest.raises(pika.exceptions.AMQPConnectionError):
        pika.BlockingConnection(pika.URLParameters(node.url + "?connection_attempts=1&socket_timeout=2"))
    assert all(port_is_free(port) for port in (node.port, node.dist_port, node.epmd_port))


def _refused(url: str, operation) -> str | None:
    """The broker's refusal of an operation on a fresh channel, or None if it was allowed."""
    with pika.BlockingConnection(pika.URLParameters(url)) as connection:
        try:
            operation(connection.channel())
        except pika.exceptions.ChannelClosedByBroker as refusal:
            return f"{refusal.reply_code} {refusal.reply_text}"
    return None


def test_each_service_may_use_only_its_own_queues_and_guest_is_gone(stack, layout, supervised):
    node = PrivateRabbitMQ(stack, layout, infra_account("rabbitmq"))
    node.prepare()
    supervisor = supervised([node.program()])
    supervisor.start(COMPONENT)
    try:
        wait_until_ready(COMPONENT, AmqpConnects(node.url), timeout=60)
        node.remove_default_account()
        consumers = [service for service in stack.services if service.consumers]
        owner, other = consumers[0], consumers[1]
        owners_queue = f"{owner.name}.{owner.consumers[0]}"
        events, dead_letters = stack.events["exchange"], stack.events["dead_letter_exchange"]
        owner_url, other_url = node.service_url(owner), node.service_url(other)

        def declare_like_a_consumer(channel):
            channel.exchange_declare(events, passive=True)  # loaded at boot, before any service
            channel.queue_declare(owners_queue + ".dlq", durable=True, arguments={"x-queue-type": "quorum"})
            channel.queue_bind(owners_queue + ".dlq", dead_letters, routing_key=owners_queue)
            channel.queue_declare(
                owners_queue,
                durable=True,
                arguments={
                    "x-queue-type": "quorum",
                    "x-dead-letter-exchange": dead_letters,
                    "x-dead-letter-routing-key": owners_queue,
                },
            )
            channel.queue_bind(owners_queue, events, routing_key="order.created")
            channel.basic_publish(events, "order.created", b"{}")
            channel.basic_get(owners_queue, auto_ack=False)

        allowed = _refused(owner_url, declare_like_a_consumer)
        reads_another = _refused(other_url, lambda channel: channel.basic_get(owners_queue))
        purges_another = _refused(other_url, lambda channel: channel.queue_purge(owners_queue))
        deletes_another = _refused(other_url, lambda channel: channel.queue_delete(owners_queue))
        redeclares_exchange = _refused(
            owner_url, lambda channel: channel.exchange_declare(events, "topic", durable=True)
        )
        users = node.rabbitmqctl("list_users", "--quiet").stdout
        try:
            pika.BlockingConnection(pika.URLParameters(f"amqp://guest:guest@127.0.0.1:{node.port}/%2F")).close()
            guest_refused = False
        except pika.exceptions.ProbableAuthenticationError:
            guest_refused = True
    finally:
        supervisor.stop(COMPONENT)
        node.stop_port_mapper()

    assert allowed is None
    for refusal in (reads_another, purges_another, deletes_another, redeclares_exchange):
        assert refusal is not None and refusal.startswith("403 ACCESS_REFUSED")
    assert "guest" not in users.split() and guest_refused
    services_without_events = [service for service in stack.services if not (service.consumers or service.publishes)]
    assert services_without_events and all(node.service_url(service) is None for service in services_without_events)
