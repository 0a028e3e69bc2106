"""The state directory every runtime keeps: ./.ecomlab/ under the project, or
ECOMLAB_STATE_DIR. It holds which runtime `up` used, generated secrets, the teaching
switches `up` turned on, restart counts, what scenario runs concluded and workshop progress;
each runtime adds its own files below it."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ecomctl.description.stack_file import PROJECT_ROOT

STATE_DIR_VARIABLE = "ECOMLAB_STATE_DIR"
# Readiness checks and servers being prepared ask for secrets from several threads at once,
# and several ecomctl commands may run side by side: reading, adding and writing the file
# happen under both locks, and a write replaces the file whole, so no reader sees half.
_SECRETS_THREAD_LOCK = threading.Lock()


@dataclass(frozen=True)
class StateDirectory:
    root: Path

    @classmethod
    def from_environment(cls):
        configured = os.environ.get(STATE_DIR_VARIABLE)
        return cls(Path(configured).expanduser().resolve() if configured else PROJECT_ROOT / ".ecomlab")

    @property
    def _secrets_file(self) -> Path:
        return self.root / "secrets.json"

    def secret(self, name: str, length: int = 32) -> str:
        """A random secret generated once and kept, so restarts reuse it."""
        stored = self._read(self._secrets_file)
        if name in stored:
            return stored[name]
        with self._secrets_locked():
            stored = self._read(self._secrets_file)  # another thread or process may have added it
            if name not in stored:
                stored[name] = secrets.token_urlsafe(length)
                self._write_secrets(stored)
            return stored[name]

    @contextlib.contextmanager
    def _secrets_locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with _SECRETS_THREAD_LOCK, open(self.root / ".secrets.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _write_secrets(self, stored: dict) -> None:
        partial = self._secrets_file.with_name(".secrets.json.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(json.dumps(stored, indent=2))
        os.replace(partial, self._secrets_file)

    def has_secret(self, name: str) -> bool:
        return name in self._read(self._secrets_file)

    def forget_secrets(self, prefix: str) -> None:
        """Drop every secret whose name starts with prefix (the data it protected is gone)."""
        stored = self._read(self._secrets_file)
        kept = {name: value for name, value in stored.items() if not name.startswith(prefix)}
        if kept != stored:
            with self._secrets_locked():
                self._write_secrets(
                    {
                        name: value
                        for name, value in self._read(self._secrets_file).items()
                        if not name.startswith(prefix)
                    }
                )

    def remembered_runtime(self) -> str | None:
        """The runtime the last `up` used."""
        path = self.root / "runtime"
        return path.read_text().strip() if path.exists() else None

    def remember_runtime(self, name: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "runtime").write_text(name)

    def unsafe_switches(self) -> tuple[str, ...]:
        """The teaching switches the last `up` turned on (none after a plain `up`)."""
        path = self.root / "unsafe.json"
        return tuple(json.loads(path.read_text())) if path.exists() else ()

    def remember_unsafe_switches(self, names: tuple[str, ...]) -> None:
        path = self.root / "unsafe.json"
        if names:
            self.root.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(list(names)))
        else:
            path.unlink(missing_ok=True)

    def record_scenario_run(self, run: dict) -> None:
        """Keep what a scenario run concluded (the workshop's checks read it)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "scenario-runs.jsonl").open("a") as runs:
            runs.write(json.dumps(run) + "\n")

    def scenario_runs(self) -> list[dict]:
        path = self.root / "scenario-runs.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line] if path.exists() else []

    def workshop(self) -> dict:
        """Each workshop exercise's marks from `ecomctl workshop start`, by number."""
        return self._read(self.root / "workshop.json")

    def remember_workshop(self, progress: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "workshop.json").write_text(json.dumps(progress, indent=2))

    def restarts(self) -> dict[str, int]:
        return self._read(self.root / "restarts.json")

    def count_restart(self, component: str) -> None:
        counts = self.restarts()
        counts[component] = counts.get(component, 0) + 1
        (self.root / "restarts.json").write_text(json.dumps(counts))

    def reset_restarts(self) -> None:
        (self.root / "restarts.json").unlink(missing_ok=True)

    @staticmethod
    def _read(path: Path) -> dict:
        return json.loads(path.read_text()) if path.exists() else {}
