"""The chassis's management commands as real processes: the test settings, pointed at the
test database."""

from __future__ import annotations

import os
from pathlib import Path

from chassis_testing.processes import DjangoProcess

CHASSIS_ROOT = Path(__file__).resolve().parents[2]


def management_command(*command: str, database: str, env: dict[str, str] | None = None) -> DjangoProcess:
    """`python -m django <command>` with the test settings, on the database named `database`."""
    return DjangoProcess(
        ["-m", "django", *command],
        cwd=CHASSIS_ROOT,
        env={
            "PYTHONPATH": os.pathsep.join([str(CHASSIS_ROOT), os.environ.get("PYTHONPATH", "")]),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "CHASSIS_DB_NAME": database,
            **(env or {}),
        },
    )
