"""Running code at the same moment on several threads, each with its own database
connections, to test what concurrent requests or deliveries do."""

from __future__ import annotations

import threading


def run_in_threads(*targets) -> list:
    """Run the callables at the same moment, each on its own thread and database
    connections; returns each one's result, or the exception it raised."""
    from django.db import connections

    start = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def run(index, target):
        try:
            start.wait()
            results[index] = target()
        except Exception as exc:  # reported to the test, which asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, target)) for index, target in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
