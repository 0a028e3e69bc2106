"""The outbound HTTP client: retries, timeouts and the circuit breaker, against real sockets."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chassis.correlation import correlation_scope
from chassis.http import CircuitBreaker, CircuitOpen, ServiceClient, UpstreamUnavailable


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def upstream():
    """A real HTTP server whose answers the test scripts: a list of status codes."""
    script: list[int] = []
    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(dict(self.headers))
            status = script.pop(0) if script else 200
            body = json.dumps({"status": status}).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.script, server.seen = script, seen
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_breaker_opens_after_threshold_and_lets_one_trial_through_after_timeout():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout=5, clock=clock)
    breaker.record_failure()
    assert breaker.state == "closed"
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allow()

    clock.now = 5
    assert breaker.state == "half-open"
    assert breaker.allow() is True
    assert breaker.allow() is False  # only one trial at a time
    breaker.record_success()
    assert breaker.state == "closed"


def test_a_failed_trial_reopens_the_breaker():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=5, clock=clock)
    breaker.record_failure()
    clock.now = 6
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state == "open"


def test_transient_5xx_is_retried_and_then_succeeds(upstream):
    upstream.script.extend([503, 502])
    client = ServiceClient("catalog", upstream.url, retries=2, backoff=0.001)

    assert client.get("/x").status_code == 200
    assert len(upstream.seen) == 3


def test_4xx_is_an_answer_not_a_failure(upstream):
    upstream.script.append(404)
    client = ServiceClient("catalog", upstream.url, retries=2, backoff=0.001)

    assert client.get("/x").status_code == 404
    assert client.breaker.state == "closed"


def test_a_dead_service_fails_fast_then_the_circuit_opens():
    client = ServiceClient(
        "catalog",
        f"http://127.0.0.1:{closed_port()}",
        retries=1,
        backoff=0.001,
        breaker=CircuitBreaker(failure_threshold=2, reset_timeout=30),
    )
    started = time.monotonic()
    with pytest.raises(UpstreamUnavailable, match="catalog is unavailable"):
        client.get("/x")
    with pytest.raises(CircuitOpen):
        client.get("/x")
    assert time.monotonic() - started < 2


@pytest.fixture
def cut_short():
    """A server that promises a body and closes the connection halfway through it."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"half":')
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_an_answer_cut_short_is_a_failure_and_a_trial_that_gets_one_reopens_the_breaker(cut_short):
    clock = FakeClock()
    client = ServiceClient(
        "catalog",
        cut_short,
        retries=0,
        backoff=0.001,
        breaker=CircuitBreaker(failure_threshold=1, reset_timeout=10, clock=clock),
    )
    with pytest.raises(UpstreamUnavailable, match="no usable answer"):
        client.get("/x")
    clock.now = 11  # half-open: the next call is the trial

    with pytest.raises(UpstreamUnavailable, match="no usable answer"):
        client.get("/x")
    assert client.breaker.state == "open"
    clock.now = 22
    assert client.breaker.allow()  # a later trial is let through: the breaker is not stuck


def test_the_correlation_id_travels_to_the_other_service(upstream):
    with correlation_scope("flow-12345678"):
        ServiceClient("catalog", upstream.url).get("/x")

    assert upstream.seen[0]["X-Request-ID"] == "flow-12345678"


def test_calls_go_straight_to_the_service_whatever_proxy_the_environment_names(upstream, monkeypatch):
    dead_proxy = f"http://127.0.0.1:{closed_port()}"
    for variable in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(variable, dead_proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    assert ServiceClient("catalog", upstream.url, retries=0).get("/x").status_code == 200
