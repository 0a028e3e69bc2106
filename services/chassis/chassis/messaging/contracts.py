"""Event contracts: one JSON Schema per event type and version, read from
<EVENT_CONTRACTS_DIR>/events/<type>.v<version>.json (the setting names the contracts the
service ships with: /app/contracts in its image), each referring to the one envelope schema
beside them:

    events/
    ├── envelope.v1.json        id, type, version, occurred_at, producer, ... data
    └── <type>.v<version>.json  $ref envelope.v1.json; its type, version and data

Producers validate before writing to the outbox; consumers validate at the boundary."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NoReturn

import jsonschema_rs
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from chassis.messaging.envelope import Envelope

ENVELOPE_FILE = "envelope.v1.json"
_CONTRACT_FILE = re.compile(r"^(?P<type>[a-z0-9_.-]+)\.v(?P<version>[1-9][0-9]*)\.json$")


class InvalidEvent(ValueError):
    """A message or event that breaks its contract; the message says which field and why."""


def contracts_dir() -> Path:
    directory = getattr(settings, "EVENT_CONTRACTS_DIR", None)
    if not directory:
        raise ImproperlyConfigured("Set EVENT_CONTRACTS_DIR to the directory of the event contracts (contracts/).")
    return Path(directory)


def known_event_types() -> frozenset[str]:
    return frozenset(event_type for event_type, _ in _available(contracts_dir()))


def validate_envelope(payload: object) -> Envelope:
    """Check a decoded message against its envelope and contract; InvalidEvent if it breaks them."""
    if not isinstance(payload, dict):
        raise InvalidEvent("An event must be a JSON object.")
    event_type, version = payload.get("type"), payload.get("version")
    if not isinstance(event_type, str) or isinstance(version, bool) or not isinstance(version, int):
        raise InvalidEvent("An event needs a string 'type' and an integer 'version'.")
    validator = _validator(contracts_dir(), event_type, version)
    error = next(validator.iter_errors(payload), None)
    if error is not None:
        location = "/".join(str(part) for part in error.instance_path) or "(envelope)"
        raise InvalidEvent(f"{event_type} v{version} breaks its contract at {location}: {error.message}")
    return Envelope.from_dict(payload)


@lru_cache(maxsize=4)
def _available(directory: Path) -> frozenset[tuple[str, int]]:
    events = directory / "events"
    if not events.is_dir():
        return frozenset()
    matches = (_CONTRACT_FILE.match(path.name) for path in events.iterdir() if path.name != ENVELOPE_FILE)
    return frozenset((m["type"], int(m["version"])) for m in matches if m)


@lru_cache(maxsize=128)
def _validator(directory: Path, event_type: str, version: int) -> jsonschema_rs.Draft202012Validator:
    """Compiled once per contract: every consumed message is checked, so this is on the hot
    path (the compiled validator takes about a microsecond per event)."""
    if (event_type, version) not in _available(directory):
        raise InvalidEvent(f"No contract for event type {event_type!r} version {version} in {directory / 'events'}.")
    schema = json.loads((directory / "events" / f"{event_type}.v{version}.json").read_text())
    jsonschema_rs.meta.validate(schema)  # a broken contract fails loudly, not every event
    return jsonschema_rs.Draft202012Validator(
        schema, validate_formats=True, registry=_registry(directory), retriever=_nothing_elsewhere
    )


@lru_cache(maxsize=4)
def _registry(directory: Path) -> jsonschema_rs.Registry:
    """Every schema under events/ by its $id, so a contract's $ref (the envelope) resolves
    from the files shipped with the code."""
    schemas = [json.loads(path.read_text()) for path in sorted((directory / "events").glob("*.json"))]
    for schema in schemas:
        jsonschema_rs.meta.validate(schema)
    return jsonschema_rs.Registry([(schema["$id"], schema) for schema in schemas], retriever=_nothing_elsewhere)


def _nothing_elsewhere(uri: str) -> NoReturn:
    # Without a retriever the validator would fetch an unknown $ref over the network.
    raise InvalidEvent(f"A contract refers to {uri}, which is not a schema in the contracts' events/.")
