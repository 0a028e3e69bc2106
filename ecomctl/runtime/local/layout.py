"""Where the local runtime keeps its configs, logs and data, inside the state directory
(./.ecomlab/ under the project, or ECOMLAB_STATE_DIR).

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

from dataclasses import dataclass
from pathlib import Path

from ecomctl.runtime.errors import StateDirectoryUnusable
from ecomctl.runtime.state import StateDirectory

_UNIX_SOCKET_PATH_LIMIT = 100  # sun_path holds 104-108 bytes depending on the platform


@dataclass(frozen=True)
class StateLayout(StateDirectory):
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
