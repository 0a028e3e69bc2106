"""Reads a scenario file and checks it against the vocabulary before anything runs. A
problem is one ScenarioFileError naming the file, the line, what is wrong and the words
allowed there."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ecomctl.scenarios.files.vocabulary import (
    ACTIONS,
    HTTP_METHODS,
    ORDER_STATUSES,
    PROBES,
    STEP_FIELDS,
    TOP_LEVEL,
    Field,
)

DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m)$")
NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0}


class ScenarioFileError(Exception):
    def __init__(self, path: Path, line: int | None, problem: str, allowed: list[str] | None = None):
        self.path, self.line, self.problem, self.allowed = path, line, problem, allowed
        where = f"{path}:{line}" if line else str(path)
        words = f" Allowed here: {', '.join(allowed)}." if allowed else ""
        super().__init__(f"{where}: {problem}.{words}")


@dataclass(frozen=True)
class StepSpec:
    kind: str  # "action" or "probe"
    word: str  # kill, place_order, order_status, ...
    arguments: dict
    line: int
    title: str | None = None
    expect: str | None = None


@dataclass(frozen=True)
class ScenarioFile:
    path: Path
    name: str
    title: str
    teaches: str
    steady_state: list[StepSpec]
    steps: list[StepSpec]
    rollbacks: list[StepSpec]
    saved: set[str] = field(default_factory=set)  # the names steps save, for later steps

    def all_steps(self) -> list[StepSpec]:
        return [*self.steady_state, *self.steps, *self.rollbacks]

    @property
    def summary(self) -> str:
        return self.title

    @property
    def components(self) -> list[str]:
        """Every component an action of the file acts on."""
        return list(
            dict.fromkeys(spec.arguments["component"] for spec in self.all_steps() if "component" in spec.arguments)
        )

    @property
    def queues(self) -> list[str]:
        """Every queue a probe of the file looks at."""
        return list(dict.fromkeys(spec.arguments["queue"] for spec in self.all_steps() if "queue" in spec.arguments))

    @property
    def needs(self) -> tuple[str, ...]:
        """The infrastructure it stops, which the runtime must run itself (not given by URL)."""
        return tuple(name for name in self.components if name == "rabbitmq" or name.endswith("-db"))


class _Lines(dict):
    """A mapping that remembers the line it started on."""

    line = 0


class _LineLoader(yaml.SafeLoader):
    """Safe loading, with every mapping a _Lines that knows its line."""


def _located_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Lines:
    mapping = _Lines(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _located_mapping)


def seconds(value: str) -> float:
    """'3s', '500ms', '2m' as seconds (the loader has checked the shape)."""
    duration = DURATION.match(str(value))
    if duration is None:
        raise ValueError(f"{value!r} is not a duration such as 3s, 500ms or 2m")
    amount, unit = duration.groups()
    return float(amount) * _UNITS[unit]


def load_scenario(path: Path) -> ScenarioFile:
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(), Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except OSError as error:
        raise ScenarioFileError(path, None, f"cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ScenarioFileError(
            path, mark.line + 1 if mark else None, f"is not valid YAML ({getattr(error, 'problem', None) or error})"
        ) from None
    if not isinstance(raw, _Lines):  # the loader reads every mapping as a _Lines
        raise ScenarioFileError(path, 1, "must be a mapping with name, title, teaches and steps", list(TOP_LEVEL))
    _check_keys(path, raw, TOP_LEVEL, "a scenario")
    for key in ("name", "title", "teaches"):
        _check_value(path, raw.line, key, raw[key], TOP_LEVEL[key])
    if not NAME.match(raw["name"]):
        raise ScenarioFileError(path, raw.line, f"name {raw['name']!r} must be lower-case words joined by hyphens")
    saved: set[str] = set()
    sections = {}
    for section in ("steady_state", "steps", "rollbacks"):
        entries = raw.get(section) or []
        if not isinstance(entries, list):
            raise ScenarioFileError(path, raw.line, f"{section} must be a list of steps")
        sections[section] = [_step(path, entry, raw.line, saved) for entry in entries]
    if not sections["steps"]:
        raise ScenarioFileError(path, raw.line, "steps must list at least one step")
    return ScenarioFile(
        path,
        raw["name"],
        raw["title"],
        raw["teaches"],
        sections["steady_state"],
        sections["steps"],
        sections["rollbacks"],
        saved,
    )


def _step(path: Path, entry, parent_line: int, saved: set[str]) -> StepSpec:
    line = getattr(entry, "line", parent_line)
    if not isinstance(entry, dict):
        raise ScenarioFileError(path, line, "a step must be a mapping with `action:` or `probe:`", ["action", "probe"])
    kinds = [kind for kind in ("action", "probe") if kind in entry]
    if len(kinds) != 1:
        raise ScenarioFileError(path, line, "a step has exactly one of `action:` or `probe:`", ["action", "probe"])
    kind = kinds[0]
    vocabulary = ACTIONS if kind == "action" else PROBES
    word = entry[kind]
    if word not in vocabulary:
        raise ScenarioFileError(path, line, f"there is no {kind} called {word!r}", sorted(vocabulary))
    fields = {**vocabulary[word], **STEP_FIELDS}
    arguments = {key: value for key, value in entry.items() if key != kind}
    _check_keys(path, _with_line(arguments, line), fields, f"the {kind} {word}")
    for key, value in arguments.items():
        _check_value(path, line, key, value, fields[key], saved)
    _check_meaning(path, line, word, arguments)
    if "save" in arguments:
        saved.add(arguments["save"])
    title, expect = arguments.pop("title", None), arguments.pop("expect", None)
    return StepSpec(kind, word, arguments, line, title, expect)


def _with_line(mapping: dict, line: int) -> _Lines:
    located = _Lines(mapping)
    located.line = line
    return located


def _check_keys(path: Path, mapping: dict, fields: dict[str, Field], what: str) -> None:
    line = getattr(mapping, "line", None)
    for key in mapping:
        if key not in fields:
            raise ScenarioFileError(path, line, f"{what} has no field {key!r}", sorted(fields))
    for key, spec in fields.items():
        if spec.required and key not in mapping:
            raise ScenarioFileError(path, line, f"{what} needs `{key}:`", sorted(fields))


def _check_value(path: Path, line: int, key: str, value, spec: Field, saved: AbstractSet[str] = frozenset()) -> None:
    def wrong(expected: str) -> ScenarioFileError:
        return ScenarioFileError(path, line, f"`{key}: {value!r}` must be {expected}")

    kind = spec.kind
    if kind == "text" and not (isinstance(value, str) and value.strip()):
        raise wrong("some text")
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise wrong("a whole number, 0 or more")
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise wrong("a number")
    if kind == "duration" and not DURATION.match(str(value)):
        raise wrong("a duration such as 3s, 500ms or 2m")
    if kind == "list" and not isinstance(value, list):
        raise wrong("a list")
    if kind == "order" and value not in saved:
        raise ScenarioFileError(
            path,
            line,
            f"`{key}: {value}` names no order saved by an earlier step (`save: {value}` on a place_order)",
            sorted(saved) or None,
        )
    if kind == "items":
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, dict) and set(item) <= {"sku", "quantity"} and "sku" in item for item in value)
        ):
            raise wrong("a list of {sku: ..., quantity: ...}")


def _check_meaning(path: Path, line: int, word: str, arguments: dict) -> None:
    if word == "order_status":
        if arguments["status"] not in ORDER_STATUSES:
            raise ScenarioFileError(
                path, line, f"status {arguments['status']!r} is no order status", list(ORDER_STATUSES)
            )
        if "within" in arguments and "holds_for" in arguments:
            raise ScenarioFileError(path, line, "order_status takes `within:` or `holds_for:`, not both")
    if word == "http" and arguments.get("method", "GET") not in HTTP_METHODS:
        raise ScenarioFileError(path, line, f"method {arguments['method']!r} is not an HTTP method", list(HTTP_METHODS))
    if word == "publish" and ("routing_key" in arguments) == ("redeliver" in arguments):
        raise ScenarioFileError(
            path, line, "publish takes `routing_key:` (with `body:`) or `redeliver:`", ["routing_key", "redeliver"]
        )
    if word == "publish" and "redeliver" in arguments and "order" not in arguments:
        raise ScenarioFileError(path, line, "publish with `redeliver:` needs `order:` (whose event to send again)")
    if word == "queue" and "messages" in arguments and "messages_at_least" in arguments:
        raise ScenarioFileError(path, line, "queue takes `messages:` or `messages_at_least:`, not both")
    if word == "events" and ("sequence" in arguments) == ("contains" in arguments):
        raise ScenarioFileError(path, line, "events takes `sequence:` or `contains:`", ["sequence", "contains"])
    if word == "dead_letters" and ("count" in arguments) == ("at_least" in arguments):
        raise ScenarioFileError(path, line, "dead_letters takes `count:` or `at_least:`", ["count", "at_least"])
