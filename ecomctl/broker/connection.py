"""Connecting to RabbitMQ as ecomctl does: one attempt with short timeouts, and a sentence
saying what to do when nobody answers."""

from __future__ import annotations

import pika
import pika.exceptions


class BrokerUnreachable(Exception):
    pass


def connect(url: str) -> pika.BlockingConnection:
    parameters = pika.URLParameters(url)
    parameters.connection_attempts = 1
    parameters.socket_timeout = 3
    parameters.blocked_connection_timeout = 5
    try:
        return pika.BlockingConnection(parameters)
    except pika.exceptions.AMQPError as error:
        raise BrokerUnreachable(
            f"RabbitMQ does not answer at {parameters.host}:{parameters.port} ({type(error).__name__}). "
            "Is the stack up (`ecomctl status`) and the broker started (`ecomctl start rabbitmq`)?"
        ) from None
