"""Every ecomctl command on the docker runtime, through the real command as a user runs it:
seed, order, status, logs, queues, events, dead-letters, and scenarios (each must pass and
leave the stack whole)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def seeded(ecomctl):
    assert "demo logins" in ecomctl("seed").stdout
    return ecomctl


def test_an_order_placed_through_the_cli_is_confirmed(seeded):
    order = json.loads(seeded("order", "place", "--wait", "--json").stdout)

    assert order["status"] == "CONFIRMED"
    assert json.loads(seeded("order", "show", order["id"], "--json").stdout)["status"] == "CONFIRMED"


def test_status_shows_every_container_and_every_queue(seeded):
    status = json.loads(seeded("status", "--json").stdout)

    assert {component["state"] for component in status["components"]} == {"running"}
    assert {queue["name"]: queue["consumers"] for queue in status["queues"]}["payments.order-created"] == 1
    assert status["broker_problem"] is None


def test_logs_read_one_container(seeded):
    logs = seeded("logs", "payments-order-created").stdout

    assert "payments-order-created" in logs and "order.created" in logs


def test_queues_and_dead_letters_read_the_broker_through_its_published_port(seeded):
    queues = {queue["name"]: queue for queue in json.loads(seeded("queues", "--json").stdout)}
    assert queues["orders.payment-results"]["consumers"] == 1
    assert json.loads(seeded("dead-letters", "--json").stdout) is not None


def test_events_tap_the_exchange(seeded):
    tap = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ecomctl",
            "events",
            "--filter",
            "order.confirmed",
            "-n",
            "2",
            "--timeout",
            "120",
            "--json",
        ],
        env=seeded.environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        # The tap binds its queue a moment after it starts: orders go until it has seen two.
        for _ in range(10):
            seeded("order", "place", "--wait")
            if tap.poll() is not None:
                break
        output, _ = tap.communicate(timeout=120)
    finally:
        tap.kill()
    events = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert [event["type"] for event in events] == ["order.confirmed", "order.confirmed"]
    assert events[0]["producer"] == "orders"


@pytest.mark.parametrize("scenario", ["happy-path", "payments-outage", "broker-outage", "duplicate-delivery"])
def test_the_scenarios_pass_on_docker(seeded, scenario):
    result = seeded("scenario", "run", scenario, check=False, timeout=600)

    assert result.returncode == 0, f"{scenario}:\n{result.stdout}\n{result.stderr}"
    assert "passed" in result.stdout


def test_up_on_the_running_stack_changes_nothing(seeded):
    again = seeded("up", "--runtime", "docker").stdout

    assert "already running" in again and "reconfigured" not in again
