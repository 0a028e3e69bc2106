"""Real pieces for gateway tests: the nginx binary, echo upstreams on loopback, a running
gateway rendered from stack.yaml, and a raw HTTP client that sends paths unnormalised."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from chassis_testing.waiting import wait_until
from ecomctl.description.gateway_config import render_gateway_config
from ecomctl.description.stack_file import Stack, load_stack
from support.machine import free_port, require_binary

# Services that get an echo upstream; the others point at a closed port (a service that is down).
RUNNING_SERVICES = ("auth", "catalog", "orders")
# An echo upstream answers a path containing this marker with the status that follows it,
# so tests can see a service's own error pass through the gateway.
STATUS_MARKER = "/reply-status/"
# Where the gateway and its upstreams listen, and the tests connect.
HOST = "127.0.0.1"


class _EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real service behind the gateway

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        status = 200
        if STATUS_MARKER in self.path:
            status = int(self.path.split(STATUS_MARKER, 1)[1][:3])
        payload = json.dumps(
            {
                "service": self.server.service_name,
                "method": self.command,
                "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "body_length": len(body),
            }
        ).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/vnd.echo+json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Request-ID", "upstream-chosen-id")
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, format, *args):  # keep test output quiet
        pass


class EchoServer:
    """A tiny HTTP service on a loopback port that answers with what it received."""

    def __init__(self, service_name: str, port: int = 0):
        self._server = ThreadingHTTPServer((HOST, port), _EchoHandler)
        self._server.daemon_threads = True
        self._server.service_name = service_name
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class Gateway:
    """A running nginx process serving a rendered config on a loopback port."""

    def __init__(
        self,
        binary: str,
        config: str,
        runtime_dir: Path,
        port: int,
        run_as: tuple[str, ...] = (),
        health_path: str = "/gateway/health",
    ):
        self.port = port
        self.health_path = health_path
        self.runtime_dir = runtime_dir
        self.config_file = runtime_dir / "nginx.conf"
        self.config_file.write_text(config)
        self._process = subprocess.Popen(
            [
                *run_as,
                binary,
                "-c",
                str(self.config_file),
                "-p",
                str(runtime_dir),
                "-e",
                str(runtime_dir / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # -e sends even start-up errors to error.log
        )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        # Ask the gateway itself: a bare TCP connect could reach whoever else holds the port.
        def healthy() -> bool:
            if self._process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.runtime_dir / 'error.log').read_text()}")
            try:
                return self.request("GET", self.health_path, timeout=0.5).body == b'{"status":"ok"}'
            except OSError:
                return False

        try:
            wait_until(healthy, timeout=10, interval=0.05, message=f"nginx to answer on {HOST}:{self.port}")
        except AssertionError:
            self.stop()
            raise

    def request(
        self, method: str, path: str, *, headers: dict | None = None, body: bytes | None = None, timeout: float = 10
    ) -> Reply:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def raw(self, data: bytes, timeout: float = 5) -> Reply:
        """Send bytes as they are (a request no HTTP client library would write) and read
        the answer until the gateway closes the connection."""
        with socket.create_connection((HOST, self.port), timeout=timeout) as connection:
            connection.sendall(data)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = http.client.HTTPMessage()
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip()] = value.strip()
        return Reply(int(status_line.split()[1]), headers, body)

    def access_log_entries(self, request_id: str) -> list[dict]:
        """The JSON access-log entries of one request id, waiting for the first because
        nginx writes a line only after the response has gone out."""

        def entries() -> list[dict]:
            lines = (self.runtime_dir / "access.log").read_text().splitlines()
            return [entry for entry in map(json.loads, lines) if entry["request_id"] == request_id]

        return wait_until(entries, timeout=5, interval=0.05, message=f"an access-log line of {request_id}")

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGQUIT)  # graceful: lets workers finish
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def launch_gateway(
    binary: str, stack: Stack, upstreams: dict, runtime_dir: Path, run_as: tuple[str, ...] = ()
) -> Gateway:
    port = free_port()
    config = render_gateway_config(stack, upstreams=upstreams, listen=f"{HOST}:{port}", runtime_dir=runtime_dir)
    return Gateway(binary, config, runtime_dir, port, run_as, stack.gateway.health_path)


@pytest.fixture(scope="session")
def stack() -> Stack:
    return load_stack()


@pytest.fixture(scope="session")
def nginx() -> str:
    """The nginx executable, or a skip naming it (a failure under CI=true)."""
    binary = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
    require_binary(binary, "nginx (on PATH or in /usr/sbin; install the nginx package)")
    return binary


@pytest.fixture(scope="session")
def echo_servers() -> Iterator[dict[str, EchoServer]]:
    """Echo upstreams for RUNNING_SERVICES; the other services are down."""
    servers = {name: EchoServer(name) for name in RUNNING_SERVICES}
    yield servers
    for server in servers.values():
        server.close()


@pytest.fixture(scope="session")
def upstreams(echo_servers) -> dict[str, tuple[str, int]]:
    addresses = {name: (HOST, server.port) for name, server in echo_servers.items()}
    for service in load_stack().services:
        addresses.setdefault(service.name, (HOST, free_port()))
    return addresses


@pytest.fixture
def start_echo_server() -> Iterator[Callable[[str, int], EchoServer]]:
    """Start an echo upstream on a given port, as a service coming back would."""
    started: list[EchoServer] = []

    def start(service_name: str, port: int) -> EchoServer:
        started.append(EchoServer(service_name, port))
        return started[-1]

    yield start
    for server in started:
        server.close()


@pytest.fixture
def start_gateway(nginx, upstreams, tmp_path_factory) -> Iterator[Callable[..., Gateway]]:
    """Start a gateway of its own (fresh rate-limit counters) for the given stack,
    optionally in a given runtime dir and under a command prefix such as setpriv."""
    started: list[Gateway] = []

    def start(stack: Stack, *, runtime_dir: Path | None = None, run_as: tuple[str, ...] = ()) -> Gateway:
        runtime_dir = runtime_dir or tmp_path_factory.mktemp("gateway")
        started.append(launch_gateway(nginx, stack, upstreams, runtime_dir, run_as))
        return started[-1]

    yield start
    for gateway in started:
        gateway.stop()


@pytest.fixture(scope="module")
def gateway(nginx, upstreams, stack, tmp_path_factory) -> Iterator[Gateway]:
    """One gateway from the real stack.yaml, shared by a module's tests."""
    running = launch_gateway(nginx, stack, upstreams, tmp_path_factory.mktemp("gateway"))
    yield running
    running.stop()
