"""contracts/topology.json is the event flow as the code has it: each event type's producer
is the one service that publishes it, and its consumers are the queues whose handlers take
it. The code is read, not run (five Django projects cannot share one process), so event
types are spelt where publish() and HANDLERS can be read: a string, or a module-level dict
of strings."""

from __future__ import annotations

import ast
import json
from collections import defaultdict
from pathlib import Path

import pytest

from ecomctl.description.stack_file import PROJECT_ROOT, default_stack
from ecomctl.runtime.queue_names import consumer_queue

CONTRACTS = PROJECT_ROOT / "contracts"
TOPOLOGY = json.loads((CONTRACTS / "topology.json").read_text())["events"]
STACK = default_stack()


def code_of(service: str) -> list[Path]:
    root = PROJECT_ROOT / "services" / service
    return [
        path for path in sorted(root.rglob("*.py")) if not {"tests", "migrations"} & set(path.relative_to(root).parts)
    ]


def module_strings(tree: ast.Module) -> dict[str, set[str]]:
    """The strings each module-level name holds: a string, or a dict's string values."""
    held: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            values = value.values if isinstance(value, ast.Dict) else [value]
            held[node.targets[0].id] = {
                v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)
            }
    return held


def event_types_of(argument: ast.expr, held: dict[str, set[str]], where: str) -> set[str]:
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return {argument.value}
    name = argument.value if isinstance(argument, ast.Subscript) else argument
    if isinstance(name, ast.Name) and held.get(name.id):
        return held[name.id]
    raise AssertionError(f"{where}: publish() names its event type in a way this test cannot read")


def published_by(service: str) -> set[str]:
    types: set[str] = set()
    for path in code_of(service):
        tree = ast.parse(path.read_text())
        held = module_strings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "publish":
                types |= event_types_of(node.args[0], held, f"{path}:{node.lineno}")
    return types


def literal_assignment(path: Path, name: str):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return node.value
    return None


def event_consumers(service: str) -> dict[str, str]:
    """EVENT_CONSUMERS of the service's settings: consumer key -> dotted path of its handlers."""
    value = literal_assignment(PROJECT_ROOT / "services" / service / "config" / "settings.py", "EVENT_CONSUMERS")
    return ast.literal_eval(value) if value is not None else {}


def handled_by(service: str, handlers_path: str) -> set[str]:
    module, _, name = handlers_path.rpartition(".")
    value = literal_assignment(PROJECT_ROOT / "services" / service / Path(*module.split(".")).with_suffix(".py"), name)
    assert isinstance(value, ast.Dict), f"{handlers_path} is not a dict literal"
    return {key.value for key in value.keys}


def consumed() -> dict[str, set[str]]:
    """Each event type's consumer queues, from the services' settings and handlers."""
    queues: dict[str, set[str]] = defaultdict(set)
    for service in STACK.services:
        for consumer, handlers_path in event_consumers(service.name).items():
            for event_type in handled_by(service.name, handlers_path):
                queues[event_type].add(consumer_queue(service.name, consumer))
    return queues


def test_every_event_type_with_a_contract_is_in_the_topology_and_no_other():
    contracts = {path.name.split(".v")[0] for path in (CONTRACTS / "events").glob("*.v*.json")} - {"envelope"}

    assert set(TOPOLOGY) == contracts


@pytest.mark.parametrize("service", [service.name for service in STACK.services])
def test_a_service_publishes_exactly_the_events_it_is_declared_to_produce(service):
    declared = {event_type for event_type, flow in TOPOLOGY.items() if flow["producer"] == service}

    assert published_by(service) == declared
    assert STACK.service(service).publishes == bool(declared)


def test_each_event_type_goes_to_exactly_the_queues_whose_handlers_take_it():
    queues = consumed()

    assert {event_type: sorted(queues.get(event_type, ())) for event_type in TOPOLOGY} == {
        event_type: sorted(flow["consumers"]) for event_type, flow in TOPOLOGY.items()
    }
    assert set(queues) <= set(TOPOLOGY), "a handler takes an event type without a contract"


@pytest.mark.parametrize("service", [service.name for service in STACK.services])
def test_the_stack_runs_exactly_the_consumers_a_service_declares(service):
    assert list(STACK.service(service).consumers) == list(event_consumers(service))
