"""Where the local runtime keeps its state: one directory (./.ecomlab/ under the project,
or ECOMLAB_STATE_DIR) holding configs, logs, data and generated secrets.

    <state>/
    ├── supervisord.conf, supervisord.pid, supervisor.sock
    ├── secrets.json          Django secret keys, the Erlang cookie, external role passwords
    ├── restarts.json         how often each component was started again since `up`
    ├── logs/<component>.log
    ├── gateway/              nginx.conf, its pid file, access and error logs
    └── data/                 deleted by `down --volumes`
        ├── postgres/<service>/
        └── rabbitmq/
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ecomctl.runtime.errors import StateDirectoryUnusable
from ecomctl.stack import PROJECT_ROOT

STATE_DIR_VARIABLE = "ECOMLAB_STATE_DIR"
_UNIX_SOCKET_PATH_LIMIT = 100  # sun_path holds 104-108 bytes depending on the platform


@dataclass(frozen=True)
class StateLayout:
    root: Path

    @classmethod
    def from_environment(cls) -> StateLayout:
        configured = os.environ.get(STATE_DIR_VARIABLE)
        return cls(Path(configured).expanduser().resolve() if configured else PROJECT_ROOT / ".ecomlab")

    supervisor_config = property(lambda self: self.root / "supervisord.conf")
    supervisor_pid_file = property(lambda self: self.root / "supervisord.pid")
    supervisor_socket = property(lambda self: self.root / "supervisor.sock")
    logs = property(lambda self: self.root / "logs")
    gateway = property(lambda self: self.root / "gateway")
    data = property(lambda self: self.root / "data")
    rabbitmq = property(lambda self: self.root / "data" / "rabbitmq")

    def postgres(self, service: str) -> Path:
        return self.data / "postgres" / service

    def log_file(self, component: str) -> Path:
        return self.logs / f"{component}.log"

    def create(self) -> None:
        """Create the directories, readable by the unprivileged accounts infra runs as."""
        if len(str(self.supervisor_socket)) > _UNIX_SOCKET_PATH_LIMIT:
            raise StateDirectoryUnusable(str(self.root), "its path is too long for a unix socket")
        try:
            for directory in (self.root, self.logs, self.gateway, self.data, self.data / "postgres"):
                directory.mkdir(parents=True, exist_ok=True)
                directory.chmod(0o755)
        except OSError as error:
            raise StateDirectoryUnusable(str(self.root), error.strerror or str(error)) from None

    def secret(self, name: str, length: int = 32) -> str:
        """A random secret generated once and kept, so restarts reuse it."""
        path = self.root / "secrets.json"
        stored = json.loads(path.read_text()) if path.exists() else {}
        if name not in stored:
            stored[name] = secrets.token_urlsafe(length)
            path.touch(mode=0o600)
            path.write_text(json.dumps(stored, indent=2))
        return stored[name]

    def restarts(self) -> dict[str, int]:
        path = self.root / "restarts.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def count_restart(self, component: str) -> None:
        counts = self.restarts()
        counts[component] = counts.get(component, 0) + 1
        (self.root / "restarts.json").write_text(json.dumps(counts))

    def reset_restarts(self) -> None:
        (self.root / "restarts.json").unlink(missing_ok=True)
