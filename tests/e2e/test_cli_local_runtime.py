"""The README's story, told through the real `ecomctl` command: up, seed, an order
confirmed, payments killed and started, the broker stopped and started, down. Each
command is its own process, as a user would run it."""

from __future__ import annotations

import json

import pytest

from chassis_testing.waiting import wait_until
from support.cli import relocated_cli
from support.machine import ports_answering, processes_mentioning


@pytest.fixture
def ecomctl():
    with relocated_cli("ecomlab-cli-") as cli:
        yield cli


def order_status(ecomctl, order_id: str) -> str:
    return json.loads(ecomctl("order", "show", order_id, "--json").stdout)["status"]


def test_up_seed_break_mend_and_down(ecomctl):
    assert "ecomlab is up" in ecomctl("up", "--runtime", "local").stdout
    again = ecomctl("up", "--runtime", "local").stdout  # harmless when up: nothing restarted
    assert "already running" in again and "reconfigured" not in again

    assert "demo logins" in ecomctl("seed").stdout
    assert "5 already there" in ecomctl("seed").stdout  # idempotent

    confirmed = json.loads(ecomctl("order", "place", "--wait", "--json").stdout)
    assert confirmed["status"] == "CONFIRMED"

    ecomctl("kill", "payments")
    pending = json.loads(ecomctl("order", "place", "--json").stdout)
    assert order_status(ecomctl, pending["id"]) == "PENDING"
    ecomctl("start", "payments")
    wait_until(lambda: order_status(ecomctl, pending["id"]) == "CONFIRMED", timeout=60, interval=0.25)

    ecomctl("stop", "rabbitmq")
    accepted = json.loads(ecomctl("order", "place", "--json").stdout)
    assert accepted["status"] == "PENDING"
    ecomctl("start", "rabbitmq")
    wait_until(lambda: order_status(ecomctl, accepted["id"]) == "CONFIRMED", timeout=60, interval=0.25)

    status = json.loads(ecomctl("status", "--json").stdout)
    assert {component["state"] for component in status["components"]} == {"running"}
    payments_queue = next(queue for queue in status["queues"] if queue["name"] == "payments.order-created")
    assert payments_queue["consumers"] == 1
    restarts = {component["name"]: component["restarts"] for component in status["components"]}
    assert restarts["payments-web"] == 1 and restarts["rabbitmq"] == 1
    assert "order.created" in ecomctl("logs", "payments-order-created", "--grep", "event handled").stdout

    ecomctl("down", "--volumes")
    assert not processes_mentioning(ecomctl.root)
    assert not ports_answering(ecomctl.stack)
