"""Runs every local process under one supervisord (daemonized, XML-RPC on a unix socket in
the state directory): config rendered from Program objects, start, stop, signals, state."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
import xmlrpc.client
from dataclasses import dataclass, field
from pathlib import Path

from supervisor.xmlrpc import SupervisorTransport

from ecomctl.runtime.errors import StartupFailed, StateDirectoryUnusable
from ecomctl.runtime.local.layout import StateLayout


@dataclass(frozen=True)
class Program:
    name: str
    command: list[str]
    directory: Path
    environment: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    stop_signal: str = "TERM"
    stop_as_group: bool = True  # False when the main process shuts its children down itself
    stop_wait_seconds: int = 15


def _quote(value: str) -> str:
    # supervisord expands %(name)s in every value, so a literal % is doubled.
    return value.replace("%", "%%")


def _environment_line(environment: dict[str, str]) -> str:
    for key, value in environment.items():
        if '"' in value:
            raise ValueError(f"environment variable {key} must not contain a double quote")
    return ",".join(f'{key}="{_quote(value)}"' for key, value in environment.items())


def render_config(layout: StateLayout, programs: list[Program]) -> str:
    lines = [
        "[unix_http_server]",
        f"file={layout.supervisor_socket}",
        "chmod=0700",
        "",
        "[supervisord]",
        f"logfile={layout.logs / 'supervisord.log'}",
        f"pidfile={layout.supervisor_pid_file}",
        f"childlogdir={layout.logs}",
        "minfds=256",
        "minprocs=64",
        *(["user=root"] if os.geteuid() == 0 else []),
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{layout.supervisor_socket}",
        "",
    ]
    for program in programs:
        lines += [
            f"[program:{program.name}]",
            f"command={_quote(shlex.join(program.command))}",
            f"directory={program.directory}",
            f"environment={_environment_line(program.environment)}",
            *([f"user={program.user}"] if program.user else []),
            # A killed process stays down until it is started again: that is the failure
            # a scenario shows, and the restart count stays honest.
            "autostart=false",
            "autorestart=false",
            "startsecs=1",
            "startretries=2",
            f"stopsignal={program.stop_signal}",
            f"stopwaitsecs={program.stop_wait_seconds}",
            f"stopasgroup={str(program.stop_as_group).lower()}",
            "killasgroup=true",
            "redirect_stderr=true",
            f"stdout_logfile={layout.log_file(program.name)}",
            "stdout_logfile_maxbytes=10MB",
            "stdout_logfile_backups=2",
            "",
        ]
    return "\n".join(lines)


class Supervisor:
    """The supervisord of one state directory."""

    def __init__(self, layout: StateLayout):
        self.layout = layout

    def _call(self, method: str, *arguments):
        """One XML-RPC call on a connection of its own, closed afterwards."""
        transport = SupervisorTransport(None, None, serverurl=f"unix://{self.layout.supervisor_socket}")
        with xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport) as server:
            return getattr(server.supervisor, method)(*arguments)

    def is_running(self) -> bool:
        if not self.layout.supervisor_socket.exists():
            return False
        try:
            return self._call("getState")["statename"] == "RUNNING"
        except (OSError, xmlrpc.client.Fault):
            return False

    def launch(self, programs: list[Program]) -> None:
        self.layout.supervisor_config.write_text(render_config(self.layout, programs))
        result = subprocess.run(
            [sys.executable, "-m", "supervisor.supervisord", "-c", str(self.layout.supervisor_config)],
            capture_output=True,
            text=True,
            check=False,
        )
        deadline = time.monotonic() + 10
        while not self.is_running():
            if time.monotonic() > deadline or result.returncode != 0:
                reason = (result.stderr or result.stdout).strip() or "it did not answer on its socket"
                raise StateDirectoryUnusable(str(self.layout.root), f"supervisord failed to start ({reason})")
            time.sleep(0.1)

    def apply(self, programs: list[Program]) -> list[str]:
        """Bring a running supervisord to this program list, as `supervisorctl update` does:
        programs whose config changed are stopped and replaced, new ones added, dropped
        ones stopped and removed; the rest keep running. Returns the names replaced or
        added (they are stopped until started)."""
        self.layout.supervisor_config.write_text(render_config(self.layout, programs))
        [[added, changed, removed]] = self._call("reloadConfig")
        for name in [*removed, *changed]:
            self.stop(name)
            self._call("removeProcessGroup", name)
        for name in [*changed, *added]:
            self._call("addProcessGroup", name)
        return [*changed, *added]

    def shutdown(self) -> None:
        pid = self._pid()
        try:
            self._call("shutdown")
        except (OSError, xmlrpc.client.Fault):
            pass
        deadline = time.monotonic() + 60
        while pid and _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.layout.supervisor_socket.unlink(missing_ok=True)

    def _pid(self) -> int | None:
        try:
            return int(self.layout.supervisor_pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def info(self, name: str) -> dict:
        return self._call("getProcessInfo", name)

    def all_info(self) -> dict[str, dict]:
        return {info["name"]: info for info in self._call("getAllProcessInfo")}

    def start(self, name: str) -> None:
        info = self.info(name)
        if info["statename"] in ("RUNNING", "STARTING"):
            return
        try:
            self._call("startProcess", name, True)
        except xmlrpc.client.Fault as fault:
            raise StartupFailed(name, fault.faultString.lower(), str(self.layout.log_file(name))) from None

    def stop(self, name: str) -> None:
        # A frozen process cannot act on its stop signal.
        self.signal_group(name, signal.SIGCONT)
        try:
            self._call("stopProcess", name, True)
        except xmlrpc.client.Fault as fault:
            if "NOT_RUNNING" not in fault.faultString:
                raise

    def signal_main_process(self, name: str, sig: str) -> None:
        try:
            self._call("signalProcess", name, sig)
        except xmlrpc.client.Fault as fault:
            if "NOT_RUNNING" not in fault.faultString:
                raise

    def signal_group(self, name: str, sig: signal.Signals) -> None:
        """Signal the program's whole process group: signalProcess reaches only the main
        process, and gunicorn's workers or RabbitMQ's VM behind its start script would
        carry on serving."""
        pid = self.info(name)["pid"]
        if not pid:
            return
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        # PostgreSQL's backends each lead a process group of their own: a paused postmaster
        # alone would leave open connections served.
        for child in _descendants(pid):
            try:
                os.kill(child, sig)
            except ProcessLookupError:
                pass


def _descendants(pid: int) -> list[int]:
    """Every process below pid, read from /proc (empty where there is none)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name, in parentheses, may hold spaces: fields follow its last ')'.
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, waiting = [], list(children.get(pid, []))
    while waiting:
        child = waiting.pop()
        found.append(child)
        waiting += children.get(child, [])
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
