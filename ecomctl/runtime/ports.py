"""Which loopback ports are free, and which process holds a taken one (from /proc on
Linux, `lsof` elsewhere), so a port conflict can name its culprit."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

from ecomctl.runtime.errors import PortInUse

_LISTEN = "0A"


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "taken"
        try:
            probe.bind((host, port))
            return True
        except OSError:
            return False


def ensure_ports_free(ports: dict[int, str]) -> None:
    """Raise PortInUse for the first taken port; values name the setting that chooses it."""
    for port, setting in ports.items():
        if not port_is_free(port):
            raise PortInUse(port, process_listening_on(port), setting)


def process_listening_on(port: int) -> str | None:
    """'name (pid N)' of the process listening on the port, when it can be seen."""
    if Path("/proc/net/tcp").exists():
        return _from_proc(port)
    if shutil.which("lsof"):
        result = subprocess.run(
            ["lsof", "-nP", f"-iTCP:{port}", "-sTCP:LISTEN", "-Fpc"], capture_output=True, text=True, check=False
        )
        fields = {line[0]: line[1:] for line in result.stdout.splitlines() if line}
        if "p" in fields:
            return f"{fields.get('c', 'unknown')} (pid {fields['p']})"
    return None


def _from_proc(port: int) -> str | None:
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    for pid_dir in Path("/proc").iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            for fd in (pid_dir / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    name = (pid_dir / "comm").read_text().strip()
                    return f"{name} (pid {pid_dir.name})"
        except OSError:  # the process ended or is not ours to look at
            continue
    return None


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == _LISTEN:
                inodes.add(f"socket:[{fields[9]}]")
    return inodes
