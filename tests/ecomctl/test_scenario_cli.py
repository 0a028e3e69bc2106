"""`ecomctl scenario` through Typer's test runner with no stack running: listing, and every
reason a scenario cannot start, each a sentence that says what to do."""

from __future__ import annotations

import json

from ecomctl.scenarios import SCENARIOS

NAMES = [scenario.name for scenario in SCENARIOS]


def test_list_shows_every_scenario_in_order(cli):
    result = cli("scenario", "list")

    assert result.exit_code == 0
    positions = [result.output.index(name) for name in NAMES]
    assert positions == sorted(positions)
    assert "ecomctl scenario run NAME" in result.output


def test_list_as_json(cli):
    result = cli("scenario", "list", "--json")

    listed = json.loads(result.output)
    assert [entry["name"] for entry in listed] == NAMES
    assert all(entry["summary"] for entry in listed)


def test_the_set_of_scenarios():
    assert NAMES == ["payments-outage", "declined-card", "slow-provider", "broker-outage", "database-outage"]


def test_an_unknown_scenario_lists_the_valid_names(cli):
    result = cli("scenario", "run", "payment-outage")

    assert result.exit_code == 1
    assert "no scenario named 'payment-outage'" in result.output
    assert ", ".join(NAMES) in result.output
    assert "Traceback" not in result.output


def test_a_scenario_on_a_stack_that_is_not_up_says_how_to_start_it(cli):
    result = cli("scenario", "run", "payments-outage")

    assert result.exit_code == 1
    assert "The stack is not running. Start it with `ecomctl up`." in result.output
    assert "Traceback" not in result.output


def test_a_scenario_that_stops_an_external_server_is_refused(cli, monkeypatch):
    monkeypatch.setenv("ECOMLAB_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:1/")

    result = cli("scenario", "run", "broker-outage")

    assert result.exit_code == 1
    assert "broker-outage needs to stop rabbitmq" in result.output
    assert "Choose another scenario" in result.output


def test_run_needs_a_name(cli):
    result = cli("scenario", "run")

    assert result.exit_code == 2
    assert "NAME" in result.output


def test_scenario_is_in_the_help(cli):
    assert "scenario" in cli("--help").output
