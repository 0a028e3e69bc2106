"""Teaching switches as ecomctl sees them: the catalog the services share
(contracts/unsafe-switches.json), and the check of names a user types.

A stack runs with the switches its last `up --unsafe` named, kept in the state directory,
and with none after a plain `up`: nothing else turns one on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from ecomctl.description.stack_file import PROJECT_ROOT
from ecomctl.runtime.errors import RuntimeProblem

CATALOG_FILE = PROJECT_ROOT / "contracts" / "unsafe-switches.json"


@dataclass(frozen=True)
class Switch:
    name: str
    safeguard: str  # what it turns off
    instead: str  # what the services do then
    breaks: str  # what goes wrong
    shown_by: str  # the built-in scenario that fails with it on
    invariant: str  # the verdict's invariant that breaks


class UnknownSwitch(RuntimeProblem):
    def __init__(self, name: str):
        super().__init__(
            f"There is no teaching switch named {name!r}.",
            f"Choose from: {', '.join(SWITCHES)} (`ecomctl switches` says what each does).",
        )


@lru_cache(maxsize=1)
def _catalog() -> dict[str, Switch]:
    entries = json.loads(CATALOG_FILE.read_text())["switches"]
    return {name: Switch(name=name, **entry) for name, entry in entries.items()}


SWITCHES = _catalog()


def checked(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The names, each known, without repeats, in the catalog's order; UnknownSwitch otherwise."""
    for name in names:
        if name not in SWITCHES:
            raise UnknownSwitch(name)
    return tuple(name for name in SWITCHES if name in names)
