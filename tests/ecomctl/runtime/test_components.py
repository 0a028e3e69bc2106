"""Component names follow the stack: infra, services in dependency order with their relay
and consumers, then the gateway; a wrong name lists the right ones."""

from __future__ import annotations

import pytest

from ecomctl.runtime import RuntimeUnavailable, StackNotRunning, UnknownComponent, get_runtime
from ecomctl.runtime.components import ComponentKind, find_component, find_components, stack_components
from ecomctl.runtime.local.runtime import LocalRuntime
from support.machine import free_port


def test_components_are_named_and_ordered_from_the_stack(stack):
    components = stack_components(stack, with_infra=True)
    names = [component.name for component in components]

    assert names[:2] == ["rabbitmq", "auth-db"]
    assert names[-1] == "gateway"
    assert names.index("auth-web") < names.index("catalog-web") < names.index("orders-web")
    assert find_component(components, "orders-payment-results").kind is ComponentKind.CONSUMER
    assert find_component(components, "orders-relay").kind is ComponentKind.RELAY
    assert "auth-relay" not in names  # auth publishes no events


def test_a_service_name_stands_for_all_its_processes_web_first(stack):
    components = stack_components(stack, with_infra=True)

    assert [component.name for component in find_components(components, "payments")] == [
        "payments-web",
        "payments-relay",
        "payments-order-created",
    ]
    assert [component.name for component in find_components(components, "payments-web")] == ["payments-web"]
    assert [component.name for component in find_components(components, "payments-db")] == ["payments-db"]


def test_unknown_component_lists_the_valid_names(stack):
    components = stack_components(stack, with_infra=True)

    with pytest.raises(UnknownComponent) as unknown:
        find_component(components, "paymnets")

    assert "'paymnets'" in str(unknown.value)
    assert "payments-web, payments-relay, payments-order-created" in str(unknown.value)


def test_actions_on_a_stack_that_is_not_up_say_so(stack, layout):
    runtime = LocalRuntime(stack, layout)

    with pytest.raises(StackNotRunning, match="ecomctl up"):
        runtime.kill("payments")
    with pytest.raises(UnknownComponent):
        runtime.kill("nope")
    assert {status.state for status in runtime.status()} == {"down"}


def test_external_servers_replace_the_private_infra(stack, layout, monkeypatch):
    monkeypatch.setenv("ECOMLAB_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    monkeypatch.setenv("ECOMLAB_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")

    names = LocalRuntime(stack, layout).component_names()

    assert "rabbitmq" not in names and "auth-db" not in names
    assert names[0] == "auth"  # the service group, then its processes
    assert "auth-web" in names


def test_runtime_selection_explains_what_is_not_available(tmp_path, monkeypatch):
    with pytest.raises(RuntimeUnavailable, match="local, docker, auto"):
        get_runtime("kubernetes")

    monkeypatch.setenv("DOCKER_HOST", f"tcp://127.0.0.1:{free_port()}")
    assert get_runtime("auto").name == "local"  # no engine answers
    with pytest.raises(RuntimeUnavailable, match="--runtime local"):
        get_runtime("docker").status()


def test_services_start_in_waves_after_what_they_depend_on(stack):
    from ecomctl.runtime.components import service_start_waves

    waves = [[service.name for service in wave] for wave in service_start_waves(stack)]

    assert waves == [["auth"], ["catalog", "payments", "notifications"], ["orders"]]
