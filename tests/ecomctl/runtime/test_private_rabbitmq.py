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
