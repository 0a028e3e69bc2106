"""The CLI's parsing, errors and output, through Typer's test runner; no stack is running,
so every answer here is an error a user must be able to act on."""

from __future__ import annotations

import json
import socket

import pytest


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_help_lists_every_command(cli):
    result = cli("--help")

    assert result.exit_code == 0
    for command in (
        "up",
        "down",
        "status",
        "logs",
        "kill",
        "stop",
        "start",
        "restart",
        "pause",
        "unpause",
        "seed",
        "order",
        "events",
        "queues",
        "dead-letters",
        "doctor",
    ):
        assert command in result.output


def test_unknown_component_names_the_valid_ones(cli):
    result = cli("kill", "paymnets")

    assert result.exit_code == 1
    assert "no component named 'paymnets'" in result.output
    assert "payments-order-created" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("action", ["kill", "stop", "start", "restart", "pause", "unpause"])
def test_actions_on_a_stack_that_is_not_up_say_how_to_start_it(cli, action):
    result = cli(action, "payments")

    assert result.exit_code == 1
    assert "ecomctl up" in result.output


def test_an_unknown_runtime_lists_the_choices(cli):
    result = cli("up", "--runtime", "kubernetes")

    assert result.exit_code == 1
    assert "local, docker, auto" in result.output


def test_status_of_a_stack_that_is_down_as_json(cli):
    result = cli("status", "--json")

    assert result.exit_code == 0
    body = json.loads(result.output)
    assert {component["state"] for component in body["components"]} == {"down"}
    assert "payments-order-created" in {component["name"] for component in body["components"]}


def test_doctor_reports_each_prerequisite(cli):
    result = cli("doctor", "--json")

    names = {check["prerequisite"]["name"] for check in json.loads(result.output)}
    assert names == {"python", "nginx", "postgres", "rabbitmq-server", "docker", "docker engine"}


def test_order_commands_explain_an_unreachable_gateway(cli, monkeypatch):
    monkeypatch.setenv("ECOMCTL_GATEWAY_URL", f"http://127.0.0.1:{closed_port()}")

    result = cli("order", "list")

    assert result.exit_code == 1
    assert "Nothing answers at" in result.output
    assert "ecomctl up" in result.output


def test_order_place_refuses_a_bad_quantity_before_calling_anything(cli):
    result = cli("order", "place", "--quantity", "0")

    assert result.exit_code == 2
    assert "--quantity" in result.output


def test_unknown_demo_customer_lists_the_known_ones(cli, monkeypatch):
    from ecomctl.shop.api_client import ApiClient, ApiError
    from ecomctl.shop.logins import customer_login

    with pytest.raises(ApiError, match="alice, bob"):
        customer_login(ApiClient(f"http://127.0.0.1:{closed_port()}"), "mallory")


def test_orders_by_product_id_need_no_catalog_call():
    from ecomctl.shop.api_client import ApiClient
    from ecomctl.shop.orders import resolve_products

    assert resolve_products(ApiClient(f"http://127.0.0.1:{closed_port()}"), ["3", "1"]) == [3, 1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name: ecomlab\nservices: {}\n", "lacks the key 'gateway'"),
        ("name: [unclosed\n", "not valid YAML"),
        (None, "Cannot read the stack file"),
    ],
)
def test_a_broken_stack_file_is_explained(cli, tmp_path, monkeypatch, content, message):
    from ecomctl.description.stack_file import default_stack

    path = tmp_path / "stack.yaml"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv("ECOMLAB_STACK_FILE", str(path))
    default_stack.cache_clear()
    try:
        result = cli("status")
    finally:
        default_stack.cache_clear()

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_switches_lists_every_teaching_switch_and_none_on(cli):
    result = cli("switches", "--json")

    assert result.exit_code == 0
    listed = json.loads(result.output)
    assert [switch["name"] for switch in listed] == [
        "dual-write",
        "no-inbox",
        "ack-first",
        "no-breaker",
        "no-idempotency-key",
    ]
    assert not any(switch["on"] for switch in listed)


def test_an_unknown_switch_is_refused_with_the_known_ones(cli):
    result = cli("up", "--unsafe", "no-outbox")

    assert result.exit_code == 1
    assert "There is no teaching switch named 'no-outbox'" in result.output
    assert "dual-write, no-inbox, ack-first, no-breaker, no-idempotency-key" in result.output


def test_workshop_names_the_exercises_and_refuses_what_cannot_be_graded(cli):
    listed = cli("workshop", "list")
    unknown = cli("workshop", "check", "99")
    not_started = cli("workshop", "check", "3")

    assert listed.exit_code == 0 and "docs/workshop/01-first-order.md" in listed.output
    assert unknown.exit_code == 2 and "There is no exercise 99. Choose 1 to 10" in unknown.output
    assert not_started.exit_code == 2 and "Run `ecomctl workshop start 3` first" in not_started.output
