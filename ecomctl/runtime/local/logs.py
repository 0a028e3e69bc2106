"""Reads the local runtime's log files as (component, line) pairs, from the start or
following new lines, optionally only the lines containing a text."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from ecomctl.runtime.log_lines import matches

POLL_SECONDS = 0.2


def read_logs(files: dict[str, list[Path]], *, follow: bool, grep: str | None) -> Iterator[tuple[str, str]]:
    """Everything already written, component by component, then (with follow) new lines
    from every file as they arrive, until the caller stops iterating."""
    handles = []
    for component, paths in files.items():
        for path in paths:
            handle = _open(path)
            for line in handle or ():
                if matches(line, grep):
                    yield component, line.rstrip("\n")
            handles.append([component, path, handle])
    while follow:
        quiet = True
        for entry in handles:
            component, path, handle = entry
            if handle is None:
                handle = entry[2] = _open(path)
                if handle is None:
                    continue
            for line in iter(handle.readline, ""):
                quiet = False
                if matches(line, grep):
                    yield component, line.rstrip("\n")
        if quiet:
            time.sleep(POLL_SECONDS)


def _open(path: Path):
    try:
        return path.open(errors="replace")
    except FileNotFoundError:
        return None
