"""Latency from `POST /orders/` answered to `order.confirmed` seen on the broker, at light
load (one order at a time), through a whole stack of real processes.

    python benchmarks/order_latency.py [--orders 200]

Brings up its own local stack on free ports (private PostgreSQL servers and RabbitMQ
node), seeds it, measures, and tears it down with its data. Prints p50, p90, p99, max.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ecomctl.broker.tap import tap  # noqa: E402
from ecomctl.runtime.local.layout import StateLayout  # noqa: E402
from ecomctl.runtime.local.runtime import LocalRuntime  # noqa: E402
from ecomctl.shop import demo_data  # noqa: E402
from ecomctl.shop.api_client import ApiClient  # noqa: E402
from ecomctl.shop.seeding import seed_stack  # noqa: E402
from support.machine import relocated_stack  # noqa: E402


class ConfirmationWatcher:
    """Records when each order.confirmed arrives, from a tap on the exchange."""

    def __init__(self, runtime: LocalRuntime):
        self.seen: dict[str, float] = {}
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(runtime,), daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _watch(self, runtime: LocalRuntime) -> None:
        events = tap(
            runtime.broker_url(), runtime.stack.events["exchange"], binding="order.confirmed", inactivity_timeout=0.2
        )
        for event in events:
            self._ready.set()
            if event is not None:
                self.seen[event.envelope["data"]["order_id"]] = time.perf_counter()
            if self._stop.is_set():
                return


def measure(runtime: LocalRuntime, orders: int) -> list[float]:
    seed_stack(runtime)
    alice = demo_data.CUSTOMERS[0]
    customer = ApiClient(runtime.gateway_url()).login(alice["email"], alice["password"])
    product_id = customer.request("GET", "/catalog/products/")["results"][0]["id"]
    watcher = ConfirmationWatcher(runtime)
    watcher.start()
    answered: dict[str, float] = {}
    body = {"items": [{"product_id": product_id, "quantity": 1}], "payment_method": "tok_visa"}
    for _ in range(orders):
        order = customer.request("POST", "/orders/", json=body)
        answered[order["id"]] = time.perf_counter()
        deadline = time.monotonic() + 10
        while order["id"] not in watcher.seen and time.monotonic() < deadline:
            time.sleep(0.001)
    watcher.stop()
    missing = [order_id for order_id in answered if order_id not in watcher.seen]
    if missing:
        print(f"{len(missing)} orders were not confirmed within 10 s")
    return [(watcher.seen[order_id] - at) * 1000 for order_id, at in answered.items() if order_id in watcher.seen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200)
    arguments = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="ecomlab-bench-"))
    root.chmod(0o755)
    runtime = LocalRuntime(relocated_stack(root), StateLayout(root / "state"))
    try:
        runtime.up()
        latencies = sorted(measure(runtime, arguments.orders))
    finally:
        runtime.down(volumes=True)
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"orders measured: {len(latencies)}")
    print(
        f"POST /orders/ answered -> order.confirmed consumed: p50 {quantiles[49]:.1f} ms, "
        f"p90 {quantiles[89]:.1f} ms, p99 {quantiles[98]:.1f} ms, max {latencies[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
