"""Teaching switches through the real `ecomctl`: each one, turned on with `up --unsafe`,
makes its built-in scenario fail on the invariant it names, is shown as unsafe by status
and by every gateway answer, and a plain `up` turns it off again, after which the same
scenario passes."""

from __future__ import annotations

import json

import pytest
import requests

from ecomctl.description.switches import SWITCHES
from support.cli import started_cli


@pytest.fixture(scope="module")
def ecomctl():
    with started_cli("ecomlab-switches-", seed=True) as cli:
        yield cli


def test_an_unknown_switch_is_refused_before_anything_changes(ecomctl):
    result = ecomctl("up", "--unsafe", "no-outbox", check=False)

    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "There is no teaching switch named 'no-outbox'" in result.stderr
    assert "dual-write" in result.stderr
    assert json.loads(ecomctl("status", "--json").stdout)["unsafe"] == []


@pytest.mark.parametrize("name", list(SWITCHES))
def test_a_switch_breaks_its_scenario_and_a_plain_up_mends_it(ecomctl, name):
    switch = SWITCHES[name]
    report = ecomctl.root / f"{name}.json"

    assert f"UNSAFE  {name}" in ecomctl("up", "--unsafe", name).stdout
    assert json.loads(ecomctl("status", "--json").stdout)["unsafe"] == [name]
    assert f"UNSAFE  {name}" in ecomctl("status").stdout
    gateway = f"http://127.0.0.1:{ecomctl.stack.gateway.port}"
    assert requests.get(f"{gateway}/catalog/products/", timeout=5).headers["X-Ecomlab-Unsafe"] == name
    assert json.loads(ecomctl("switches", "--json").stdout)[list(SWITCHES).index(name)]["on"] is True

    broken = ecomctl("scenario", "run", switch.shown_by, "--report", str(report), check=False, timeout=600)

    assert broken.returncode == 1, f"{switch.shown_by} with {name} on:\n{broken.stdout}\n{broken.stderr}"
    held = {invariant["name"]: invariant["held"] for invariant in json.loads(report.read_text())["invariants"]}
    assert held[switch.invariant] is False, f"{switch.invariant!r} held with {name} on:\n{broken.stdout}"
    assert f"✗ │ {switch.invariant}" in broken.stdout

    assert "UNSAFE" not in ecomctl("up").stdout
    assert json.loads(ecomctl("status", "--json").stdout)["unsafe"] == []
    assert "X-Ecomlab-Unsafe" not in requests.get(f"{gateway}/catalog/products/", timeout=5).headers
    mended = ecomctl("scenario", "run", switch.shown_by, check=False, timeout=600)
    assert mended.returncode == 0, f"{switch.shown_by} after a plain up:\n{mended.stdout}\n{mended.stderr}"
