"""Teaching switches: each turns one safeguard off, so a workshop can watch what goes wrong
without it (contracts/unsafe-switches.json names them and says what each breaks).

They are read once, from ECOMLAB_UNSAFE (comma-separated names), which only
`ecomctl up --unsafe NAME` sets. A service refuses to start with a name it does not know,
says at start-up which are on, and reports them on its health endpoints; with none set,
every safeguard is on."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VARIABLE = "ECOMLAB_UNSAFE"
CATALOG_FILE = "unsafe-switches.json"

logger = logging.getLogger(__name__)


def catalog(contracts: Path | None = None) -> dict[str, dict]:
    """Every switch by name, with what it turns off and what that breaks; read from the
    contracts directory given, else from the EVENT_CONTRACTS_DIR setting's."""
    from chassis.messaging.contracts import contracts_dir

    return _catalog_in(contracts or contracts_dir())


@lru_cache(maxsize=4)
def _catalog_in(contracts: Path) -> dict[str, dict]:
    return json.loads((contracts / CATALOG_FILE).read_text())["switches"]


def parse(value: str, *, contracts: Path | None = None) -> frozenset[str]:
    """The switch names in an ECOMLAB_UNSAFE value; ImproperlyConfigured for an unknown one.
    A settings module passes its contracts directory: its settings do not exist yet."""
    names = frozenset(name.strip() for name in value.split(",") if name.strip())
    known = catalog(contracts)
    unknown = sorted(names - known.keys())
    if unknown:
        raise ImproperlyConfigured(
            f"{VARIABLE} names unknown teaching switch(es) {', '.join(unknown)}; "
            f"the switches are: {', '.join(sorted(known))}."
        )
    return names


def switched_on() -> frozenset[str]:
    return getattr(settings, "UNSAFE_SWITCHES", frozenset())


def is_on(name: str) -> bool:
    if name not in catalog():  # a misspelt name in code must not read as "off" forever
        raise KeyError(f"there is no teaching switch {name!r}")
    return name in switched_on()


def announce() -> None:
    """Say loudly, once per process, which safeguards are off."""
    for name in sorted(switched_on()):
        switch = catalog()[name]
        logger.warning(
            "UNSAFE: teaching switch on, %s is off",
            switch["safeguard"],
            extra={"switch": name, "instead": switch["instead"], "breaks": switch["breaks"]},
        )
