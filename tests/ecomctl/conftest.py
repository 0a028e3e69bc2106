"""The CLI through Typer's test runner, with a state directory of the test's own, acting on
the local runtime (handed to the CLI, as any runtime can be)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ecomctl.main import app
from ecomctl.runtime.local.runtime import LocalRuntime


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOMLAB_STATE_DIR", str(tmp_path / "state"))
    runner = CliRunner()

    def run(*arguments: str, input: str | None = None):
        # A factory: the runtime is made inside the command, with the stack file and
        # servers the test has set by then.
        return runner.invoke(app, list(arguments), input=input, catch_exceptions=False, obj=run.runtime)

    run.runtime = LocalRuntime

    return run
