"""Requests gunicorn refuses before the application sees them are answered in the JSON
error shape by the chassis worker, not with gunicorn's HTML page."""

from __future__ import annotations

import json
import socket

import pytest

from chassis.web_server import json_error_response
from chassis_testing.ports import free_port
from chassis_testing.processes import DjangoProcess
from chassis_testing.waiting import wait_until
from tests.support.processes import CHASSIS_ROOT


def _exchange(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(raw)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and answer.endswith(b"}"):
                break
        return answer


@pytest.fixture(scope="module")
def gunicorn_port():
    port = free_port()
    server = DjangoProcess(
        [
            "-m",
            "gunicorn",
            "tests.support.plain_app:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "chassis.web_server.SyncWorker",
            "--limit-request-line",
            "100",
            "--limit-request-fields",
            "10",
        ],
        cwd=CHASSIS_ROOT,
    )

    def answers() -> bool:
        try:
            return _exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(
                b"HTTP/1.1 200"
            )
        except OSError:
            return False

    try:
        wait_until(answers, timeout=20, message="gunicorn to answer")
        yield port
    finally:
        server.stop()


@pytest.mark.parametrize(
    "raw, status, code",
    [
        (b"GET / HTTP/1.1\r\nHost: x\r\nIdempotency-Key: key\x01\r\n\r\n", 400, "invalid"),
        (b"GET /" + b"a" * 200 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
        (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % n for n in range(20)) + b"\r\n", 431, "headers_too_large"),
    ],
)
def test_a_refused_request_is_answered_in_json(gunicorn_port, raw, status, code):
    head, _, body = _exchange(gunicorn_port, raw).partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0].startswith(f"HTTP/1.1 {status} ".encode())
    assert b"Content-Type: application/json" in head
    answer = json.loads(body)
    assert answer["error"] == code
    assert answer["detail"].startswith("The server could not read this request")


def test_the_answer_quotes_little_of_the_client_and_says_its_length_truthfully():
    response = json_error_response(400, "Bad Request", "x" * 10_000)
    head, _, body = response.partition(b"\r\n\r\n")
    assert f"Content-Length: {len(body)}".encode() in head
    assert len(json.loads(body)["detail"]) < 300
