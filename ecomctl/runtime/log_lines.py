"""The one rule both runtimes' `logs --grep` follow: a case-insensitive substring."""

from __future__ import annotations


def matches(line: str, grep: str | None) -> bool:
    return grep is None or grep.lower() in line.lower()
