"""A stand-in for the catalog service: a real HTTP server on loopback that answers
GET /catalog/products/prices/ the way the catalog does, and can be told to fail or stall."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeCatalog:
    def __init__(self):
        self.products: dict[int, dict] = {}
        self.failing = False
        self.delay = 0.0
        self.requests = 0
        self._server: ThreadingHTTPServer | None = None

    def add(self, product_id: int, *, name: str = "", price: str = "9.99", currency: str = "EUR") -> int:
        self.products[product_id] = {
            "id": product_id,
            "sku": f"SKU-{product_id}",
            "name": name or f"Product {product_id}",
            "price": price,
            "currency": currency,
        }
        return product_id

    def answer(self, path: str) -> tuple[int, dict]:
        self.requests += 1
        if self.failing:
            return 500, {"error": "internal_error"}
        if self.delay:
            time.sleep(self.delay)
        url = urlsplit(path)
        if url.path != "/catalog/products/prices/":
            return 404, {"error": "not_found"}
        ids = [int(part) for part in parse_qs(url.query)["ids"][0].split(",")]
        return 200, {
            "products": [self.products[pid] for pid in ids if pid in self.products],
            "missing": [pid for pid in ids if pid not in self.products],
        }

    def start(self) -> str:
        catalog = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, body = catalog.answer(self.path)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        class QuietServer(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that gave up on a stalled answer is what stall tests expect

        self._server = QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
