"""Scenario files checked before anything runs: each problem names the file, the line, what
is wrong and the words allowed there, with exit code 2 and no traceback."""

from __future__ import annotations

import pytest

from ecomctl.scenarios.files.loader import ScenarioFileError, load_scenario, seconds

HEAD = "name: mine\ntitle: Mine\nteaches: Something.\n"
ORDER = "  - action: place_order\n    save: order\n"


def write(tmp_path, text: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "line", "problem", "allowed"),
    [
        (HEAD + "steps:\n  - action: explode\n    component: payments\n", 5, "no action called 'explode'", "kill"),
        (HEAD + "steps:\n  - probe: order_state\n", 5, "no probe called 'order_state'", "order_status"),
        (HEAD + "steps:\n  - action: kill\n    componnent: payments\n", 5, "has no field 'componnent'", "component"),
        (HEAD + "steps:\n  - action: kill\n", 5, "needs `component:`", "component"),
        (
            HEAD + "steps:\n" + ORDER + "  - probe: order_status\n    order: order\n    status: PAID\n",
            7,
            "no order status",
            "CONFIRMED",
        ),
        (
            HEAD + "steps:\n  - probe: order_status\n    order: nope\n    status: CONFIRMED\n",
            5,
            "names no order saved",
            None,
        ),
        (
            HEAD
            + "steps:\n"
            + ORDER
            + "  - probe: order_status\n    order: order\n    status: PENDING\n    within: 3 secs\n",
            7,
            "a duration such as 3s",
            None,
        ),
        (HEAD + "steps:\n  - action: kill\n    probe: queue\n    component: x\n", 5, "exactly one of", "action"),
        (HEAD + "steps:\n  - action: set_provider\n    latency_ms: fast\n", 5, "a whole number", None),
        (HEAD + "steps: []\n", 1, "at least one step", None),
        ("title: No name\nteaches: x\nsteps:\n  - action: wait\n    for: 1s\n", 1, "needs `name:`", "name"),
        (HEAD + "stepz:\n  - action: wait\n    for: 1s\n", 1, "has no field 'stepz'", "steps"),
        (HEAD + "steps:\n  - action: wait\n    for: [1s\n", 7, "not valid YAML", None),
        (
            HEAD + "steps:\n  - action: publish\n    routing_key: order.created\n    redeliver: order.created\n",
            5,
            "routing_key",
            "redeliver",
        ),
    ],
)
def test_a_bad_file_is_explained(tmp_path, text, line, problem, allowed):
    path = write(tmp_path, text)

    with pytest.raises(ScenarioFileError) as error:
        load_scenario(path)

    message = str(error.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert problem in message
    if allowed:
        assert "Allowed here:" in message and allowed in message


def test_the_cli_names_file_line_and_words_and_exits_2(cli, tmp_path):
    path = write(tmp_path, HEAD + "steps:\n  - action: explode\n")

    result = cli("scenario", "validate", str(path))

    assert result.exit_code == 2
    assert f"{path}:5: there is no action called 'explode'" in result.output
    assert "Allowed here: kill, narrate, pause, place_order" in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_is_explained(cli, tmp_path):
    result = cli("scenario", "validate", str(tmp_path / "nowhere.yaml"))

    assert result.exit_code == 2 and "cannot be read" in result.output


def test_saved_orders_and_durations_are_understood(tmp_path):
    path = write(
        tmp_path,
        HEAD + "steps:\n" + ORDER + "  - probe: order_status\n    order: order\n"
        "    status: CONFIRMED\n    within: 1500ms\nrollbacks:\n  - action: start\n    component: payments-db\n",
    )

    scenario = load_scenario(path)

    assert scenario.saved == {"order"} and scenario.needs == ("payments-db",)
    assert [step.word for step in scenario.all_steps()] == ["place_order", "order_status", "start"]
    assert seconds("1500ms") == 1.5 and seconds("2m") == 120


def test_the_documentation_names_every_word_and_field():
    from ecomctl.description.stack_file import PROJECT_ROOT
    from ecomctl.scenarios.files.vocabulary import ACTIONS, PROBES

    documented = (PROJECT_ROOT / "docs" / "scenarios.md").read_text()
    for vocabulary in (ACTIONS, PROBES):
        for word, fields in vocabulary.items():
            assert f"| `{word}` |" in documented, word
            for field in fields:
                assert f"`{field}`" in documented, f"{word}.{field}"
