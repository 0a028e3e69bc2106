"""`ecomctl scenario` through Typer's test runner with no stack running: listing, and every
reason a scenario cannot start, each a sentence that says what to do, with exit code 2."""

from __future__ import annotations

import json

from ecomctl.scenarios.files.runner import builtin_files

NAMES = [path.stem for path in builtin_files()]


def test_the_built_in_scenarios():
    assert NAMES == sorted(
        [
            "happy-path",
            "declined-card",
            "payments-outage",
            "notifications-outage",
            "catalog-outage",
            "broker-outage",
            "database-outage",
            "duplicate-delivery",
            "poison-message",
            "slow-provider",
            "consumer-crash-mid-charge",
            "catalog-frozen",
            "client-retry",
        ]
    )


def test_every_teaching_switch_is_shown_by_a_built_in():
    from ecomctl.description.switches import SWITCHES

    assert {switch.shown_by for switch in SWITCHES.values()} <= set(NAMES)


def test_list_shows_every_scenario(cli):
    result = cli("scenario", "list")

    assert result.exit_code == 0
    assert all(name in result.output for name in NAMES)
    assert "ecomctl scenario run NAME" in result.output


def test_list_as_json_says_what_each_teaches(cli):
    listed = json.loads(cli("scenario", "list", "--json").output)

    assert [entry["name"] for entry in listed] == NAMES
    assert all(entry["title"] and entry["teaches"] for entry in listed)


def test_every_built_in_file_is_valid(cli):
    result = cli("scenario", "validate", *(str(path) for path in builtin_files()))

    assert result.exit_code == 0, result.output
    assert result.output.count(": valid,") == len(NAMES)


def test_an_unknown_scenario_lists_the_valid_names(cli):
    result = cli("scenario", "run", "payment-outage")

    assert result.exit_code == 2
    assert "no scenario named 'payment-outage'" in result.output
    assert "payments-outage" in result.output and "give a file's path" in result.output
    assert "Traceback" not in result.output


def test_a_scenario_on_a_stack_that_is_not_up_says_how_to_start_it(cli):
    result = cli("scenario", "run", "payments-outage")

    assert result.exit_code == 2
    assert "The stack is not running. Start it with `ecomctl up`." in result.output
    assert "Traceback" not in result.output


def test_a_scenario_that_stops_an_external_server_is_refused(cli, monkeypatch):
    monkeypatch.setenv("ECOMLAB_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:1/")

    result = cli("scenario", "run", "broker-outage")

    assert result.exit_code == 2
    assert "broker-outage needs to stop rabbitmq" in result.output
    assert "Choose another scenario" in result.output


def test_a_file_naming_a_component_the_stack_lacks_is_refused_before_it_starts(cli, tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text(
        "name: typo\ntitle: A typo\nteaches: Names matter.\nsteps:\n  - action: kill\n    component: paymnets\n"
    )

    result = cli("scenario", "run", str(path))

    assert result.exit_code == 2
    assert "no component 'paymnets'" in result.output and "payments-order-created" in result.output


def test_run_needs_a_name_or_all(cli):
    result = cli("scenario", "run")

    assert result.exit_code == 2
    assert "--all" in result.output


def test_scenario_is_in_the_help(cli):
    assert "scenario" in cli("--help").output
