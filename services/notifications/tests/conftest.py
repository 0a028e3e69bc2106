"""Fixtures for the notifications tests: order outcome events, a real mail directory,
and the order-outcomes consumer as the runner drives it."""

from __future__ import annotations

import socket
import threading
import uuid
from pathlib import Path

import pytest

from chassis.messaging.envelope import Envelope
from chassis.messaging.inbox import InboxProcessor
from chassis.messaging.registry import load_consumer


def order_outcome(
    event_type: str = "order.confirmed",
    *,
    order_id: str | None = None,
    customer_id: str = "customer-1",
    email: str = "ada@example.com",
) -> Envelope:
    return Envelope.new(
        event_type,
        {
            "order_id": order_id or str(uuid.uuid4()),
            "customer": {"id": customer_id, "email": email},
            "total": "19.98",
            "currency": "EUR",
            "reason": None if event_type == "order.confirmed" else "payment declined: card_declined",
        },
    )


class MailDirectory:
    """The file email backend's directory: one file per message sent."""

    def __init__(self, path: Path):
        self.path = path

    def messages(self) -> list[str]:
        return [file.read_text() for file in sorted(self.path.glob("*.log"))]


@pytest.fixture
def mail_dir(settings, tmp_path) -> MailDirectory:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "sent-mail")
    return MailDirectory(tmp_path / "sent-mail")


@pytest.fixture
def mail_server_down(settings, mail_dir):
    """SMTP to a loopback port that is bound but never listens: every send is refused."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", unused.getsockname()[1]
        yield


@pytest.fixture
def consumer() -> InboxProcessor:
    return InboxProcessor(load_consumer("order-outcomes"), stop=threading.Event())
