"""Every `ecomctl scenario` against one real stack, through the real `ecomctl` command as a
user runs it: up once, seed once, each scenario in turn (each must pass and leave the stack
whole), one interrupted with Ctrl-C, then down with nothing left behind."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from support.machine import relocated_stack, require_binary

from ecomctl.runtime import prerequisites
from ecomctl.scenarios import SCENARIOS

# What each scenario's narration must say, besides that it passed.
NARRATION = {
    "payments-outage": [r"payments killed", r"still PENDING after 3 s; payments\.order-created: 1 message",
                        r"CONFIRMED [\d.]+ s after payments was back",
                        r"seen: order\.created -> payment\.succeeded -> order\.confirmed"],
    "declined-card": [r"CANCELLED \(payment failed: card_declined\)", r"FAILED \(card_declined\)",
                      r"order_cancelled sent to alice@ecomlab\.test", r"payment\.failed -> order\.cancelled"],
    "slow-provider": [r"latency 0 ms -> 2000 ms", r"CONFIRMED [\d.]+ s after it was placed", r"✓ latency 0 ms"],
    "broker-outage": [r"rabbitmq stopped", r"still PENDING after 3 s",
                      r"CONFIRMED [\d.]+ s after the broker was back", r"0 message\(s\), 1 consumer\(s\)"],
    "database-outage": [r"orders-db stopped", r"5\d\d \w+ in [\d.]+ s", r"GET /catalog/products/ [\d.]+ s",
                        r"accepted: PENDING, answered in [\d.]+ s; CONFIRMED"],
}


@pytest.fixture(scope="module")
def ecomctl():
    require_binary(prerequisites.find_binary("nginx"), "nginx")
    require_binary(prerequisites.postgres_bin_dir(), "PostgreSQL server binaries (initdb, postgres)")
    require_binary(prerequisites.rabbitmq_scripts_dir(), "rabbitmq-server")
    root = Path(tempfile.mkdtemp(prefix="ecomlab-scenarios-"))
    root.chmod(0o755)
    stack = relocated_stack(root)
    environment = {**os.environ, "ECOMLAB_STATE_DIR": str(root / "state"),
                   "ECOMLAB_STACK_FILE": str(root / "stack.yaml"), "COLUMNS": "200"}
    environment.pop("ECOMCTL_GATEWAY_URL", None)

    def run(*arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(command(*arguments), env=environment, capture_output=True, text=True, timeout=300,
                                check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"ecomctl {' '.join(arguments)} exited {result.returncode}:\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    run.root, run.stack, run.environment = root, stack, environment
    try:
        assert "ecomlab is up" in run("up", "--runtime", "local").stdout
        yield run
    finally:
        run("down", "--volumes", check=False)
        shutil.rmtree(root, ignore_errors=True)


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "ecomctl", *arguments]


@pytest.fixture(scope="module")
def seeded(ecomctl):
    ecomctl("seed")
    return ecomctl


def test_a_scenario_before_seeding_says_to_seed(ecomctl):
    result = ecomctl("scenario", "run", "declined-card", check=False)

    assert result.returncode == 1
    assert "Run `ecomctl seed` first." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", [scenario.name for scenario in SCENARIOS])
def test_each_scenario_passes_and_leaves_the_stack_whole(seeded, name):
    result = seeded("scenario", "run", name)

    assert f"✓ {name} passed" in result.stdout
    assert "✗" not in result.stdout
    for line in NARRATION[name]:
        assert re.search(line, result.stdout), f"{line!r} not in the narration:\n{result.stdout}"
    assert_whole(seeded)


def test_json_result(seeded):
    result = json.loads(seeded("scenario", "run", "declined-card", "--json").stdout)

    assert result["scenario"] == "declined-card" and result["passed"] and result["failure"] is None
    assert {step["outcome"] for step in result["steps"]} == {"passed"}
    events = [event["type"] for step in result["steps"] for event in step["events"]]
    assert {"order.created", "payment.failed", "order.cancelled"} <= set(events)


def test_ctrl_c_mends_what_the_scenario_broke(seeded):
    narration = []
    with subprocess.Popen(command("scenario", "run", "payments-outage"), env=seeded.environment,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
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
    assert "restore start payments" in told and "payments-outage interrupted; what it broke has been mended" in told
    assert_whole(seeded)


def test_down_leaves_nothing_running(seeded):
    seeded("down", "--volumes")

    assert not processes_mentioning(seeded.root)
    ports = [seeded.stack.gateway.port, int(seeded.stack.infrastructure["rabbitmq"]["port"]),
             *(service.port for service in seeded.stack.services)]
    assert not [port for port in ports if port_answers(port)]


def assert_whole(ecomctl) -> None:
    """Every component running and healthy: the scenario mended what it broke."""
    components = json.loads(ecomctl("status", "--json").stdout)["components"]
    unwell = [(component["name"], component["state"]) for component in components if not component["healthy"]]
    assert not unwell, f"left broken: {unwell}"


def processes_mentioning(root: Path) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue  # the process ended while we looked
            if str(root) in command_line:
                found.append(f"{entry.name}: {command_line}")
    return found


def port_answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
