"""Every `ecomctl scenario` against one real stack, through the real `ecomctl` command as a
user runs it: up once, seed once, each scenario in turn (each must pass and leave the stack
whole), one interrupted with Ctrl-C, then down with nothing left behind."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time

import pytest

from chassis_testing.waiting import wait_until
from ecomctl.scenarios.files.runner import builtin_files
from support.cli import command, started_cli
from support.machine import ports_answering, processes_mentioning, require_binary

NAMES = [path.stem for path in builtin_files()]
INVARIANTS = [
    "every order placed reached a final state",
    "at most one successful charge per order",
    "one payment outcome per order.created",
    "one notification per final order",
    "no event left unpublished in an outbox",
    "no unexpected dead letters",
    "no request timed out",
    "one order per idempotency key",
]

# Files written as a workshop participant would, from docs/scenarios.md alone. This one claims
# what the system does: the notifications consumer stopped, the order still confirms and is charged once,
# and its notification arrives once notifications is back.
RIGHT_CLAIM = """
name: notified-late
title: Notifications stopped; the order confirms and the customer hears of it later
teaches: A consumer that is down delays only its own work.
steady_state:
  - probe: queue
    queue: notifications.order-outcomes
    consumers: 1
steps:
  - action: stop
    component: notifications-order-outcomes   # its consumer only: its API still answers
  - action: place_order
    as: bob
    items: [{sku: KETTLE-STEEL, quantity: 2}]
    save: kettles
  - probe: order_status
    order: kettles
    status: CONFIRMED
    within: 30s
  - probe: charges
    order: kettles
    count: 1
  - probe: notifications
    order: kettles
    count: 0
  - probe: http
    as: bob
    path: /orders/
    status: 200
    within_ms: 2000
  - action: start
    component: notifications-order-outcomes
  - probe: notifications
    order: kettles
    count: 1
    within: 30s
  - probe: events
    order: kettles
    sequence: [order.created, payment.succeeded, order.confirmed, notification.sent]
rollbacks:
  - action: start
    component: notifications-order-outcomes
"""

# This one claims an order is confirmed within 2 s while payments is killed, which the
# system must not do.
WRONG_CLAIM = """
name: confirmed-without-payments
title: Claims an order confirms with payments down
teaches: The verdict checks what happened, not what the file hoped.
steps:
  - action: kill
    component: payments
  - action: place_order
    as: alice
    save: order
  - probe: order_status
    order: order
    status: CONFIRMED
    within: 2s
rollbacks:
  - action: start
    component: payments
"""


@pytest.fixture(scope="module")
def ecomctl():
    with started_cli("ecomlab-scenarios-") as cli:
        yield cli


@pytest.fixture(scope="module")
def seeded(ecomctl):
    ecomctl("seed")
    return ecomctl


def test_a_scenario_before_seeding_says_to_seed(ecomctl):
    result = ecomctl("scenario", "run", "declined-card", check=False)

    assert result.returncode == 2
    assert "Run `ecomctl seed` first." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", NAMES)
def test_each_scenario_passes_and_leaves_the_stack_whole(seeded, name):
    result = seeded("scenario", "run", name)

    assert f"✓ {name} passed" in result.stdout
    assert "✗" not in result.stdout
    for invariant in INVARIANTS:
        assert re.search(rf"✓ │ {re.escape(invariant)}", result.stdout), f"{invariant!r}:\n{result.stdout}"
    assert_whole(seeded)


def test_a_hand_written_file_claiming_what_the_system_does_passes(seeded):
    path = seeded.root / "notified-late.yaml"
    path.write_text(RIGHT_CLAIM)

    result = seeded("scenario", "run", str(path), "--report", str(seeded.root / "passed.json"))

    assert "✓ notified-late passed" in result.stdout
    report = json.loads((seeded.root / "passed.json").read_text())
    assert report["passed"] is True and report["failure"] is None
    assert all(step["outcome"] == "passed" for step in report["steps"])
    assert all(invariant["held"] for invariant in report["invariants"])
    assert_whole(seeded)


def test_a_file_claiming_what_the_system_does_not_do_fails_and_still_rolls_back(seeded):
    path = seeded.root / "confirmed-without-payments.yaml"
    path.write_text(WRONG_CLAIM)

    result = seeded("scenario", "run", str(path), "--report", str(seeded.root / "report.json"), check=False)

    assert result.returncode == 1
    assert "✗ confirmed-without-payments failed" in result.stdout
    assert "Waited 2 s for order" in result.stdout
    report = json.loads((seeded.root / "report.json").read_text())
    assert report["passed"] is False
    assert [step["outcome"] for step in report["steps"] if step["restore"]] == ["passed", "passed"]
    assert {invariant["name"] for invariant in report["invariants"]} == set(INVARIANTS)
    assert_whole(seeded)


def test_trace_tells_an_orders_story_across_the_services(seeded):
    order = json.loads(seeded("order", "place", "--wait", "--json").stdout)

    trace = json.loads(seeded("trace", order["id"], "--json").stdout)
    diagram = seeded("trace", order["id"], "--mermaid").stdout

    assert trace["status"] == "CONFIRMED" and len(trace["flows"]) == 1 and trace["unreachable"] == []
    kinds = [entry["kind"] for entry in trace["entries"]]
    assert kinds[0] == "request" and {"published", "consumed", "status", "charge", "notification"} <= set(kinds)
    handled = [entry["what"] for entry in trace["entries"] if entry["kind"] == "consumed"]
    assert handled == [
        "order.created (by payments.order-created)",
        "payment.succeeded (by orders.payment-results)",
        "order.confirmed (by notifications.order-outcomes)",
    ]
    assert diagram.startswith("sequenceDiagram\n") and "broker-)payments: order.created" in diagram
    missing = seeded("trace", "00000000-0000-0000-0000-000000000000", check=False)
    assert missing.returncode == 1 and "There is no order" in missing.stderr


def test_watch_shows_the_stack_live_in_a_real_terminal(seeded):
    require_binary(shutil.which("tmux"), "tmux")
    session = f"ecomlab-watch-{os.getpid()}"
    environment = " ".join(
        f"{key}={shlex.quote(value)}"
        for key, value in seeded.environment.items()
        if key.startswith(("ECOMLAB_", "PATH", "HOME"))
    )
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "160",
            "-y",
            "70",
            # A COLUMNS inherited by the tmux server would override the real width.
            f"env -u COLUMNS -u LINES {environment} {shlex.join(command('watch'))}",
        ],
        check=True,
    )

    def screen() -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout

    try:
        wait_until(
            lambda: "payments-order-created" in screen() and "orders:" in screen(),
            timeout=30,
            interval=0.25,
            message="the dashboard to draw",
        )
        seeded("kill", "payments-order-created")
        seeded("order", "place")
        wait_until(
            lambda: re.search(r"payments\.order-created\s+│\s+1\s+│\s+0\s", screen()),
            timeout=30,
            interval=0.25,
            message=f"the queue depth to show on screen:\n{screen()}",
        )
        seeded("start", "payments-order-created")
        wait_until(
            lambda: re.search(r"payments\.order-created\s+│\s+0\s+│\s+1\s", screen()),
            timeout=30,
            interval=0.25,
            message=f"the drained queue to show on screen:\n{screen()}",
        )
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        wait_until(
            lambda: subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode != 0,
            timeout=10,
            interval=0.25,
            message="q to leave the dashboard",
        )
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_watch_without_a_terminal_prints_one_snapshot(seeded):
    result = seeded("watch")

    assert "components" in result.stdout and "payments.order-created" in result.stdout
    assert "q or Ctrl-C" not in result.stdout


def test_json_result(seeded):
    result = json.loads(seeded("scenario", "run", "declined-card", "--json").stdout)

    assert result["scenario"] == "declined-card" and result["passed"] and result["failure"] is None
    assert {step["outcome"] for step in result["steps"]} == {"passed"}
    assert "order.created -> payment.failed -> order.cancelled" in " ".join(
        step["happened"] for step in result["steps"]
    )
    assert all(invariant["held"] for invariant in result["invariants"])


def test_ctrl_c_mends_what_the_scenario_broke(seeded):
    narration = []
    with subprocess.Popen(
        command("scenario", "run", "payments-outage"),
        env=seeded.environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        try:
            for line in process.stdout:
                narration.append(line)
                if "payments killed" in line:
                    time.sleep(1)  # well inside the next steps, with payments down
                    process.send_signal(signal.SIGINT)
            assert process.wait(timeout=120) == 130
        finally:
            process.kill()
    told = "".join(narration)
    assert "interrupted (Ctrl-C)" in told
    assert "restore start payments" in told and "payments-outage interrupted; its rollbacks have run" in told
    assert_whole(seeded)


def test_down_leaves_nothing_running(seeded):
    seeded("down", "--volumes")

    assert not processes_mentioning(seeded.root)
    assert not ports_answering(seeded.stack, databases=False)


def assert_whole(ecomctl) -> None:
    """Every component running and healthy: the scenario mended what it broke."""
    components = json.loads(ecomctl("status", "--json").stdout)["components"]
    unwell = [(component["name"], component["state"]) for component in components if not component["healthy"]]
    assert not unwell, f"left broken: {unwell}"
