"""The CLI through Typer's test runner, with a state directory of the test's own."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ecomctl.main import app


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOMLAB_STATE_DIR", str(tmp_path / "state"))
    runner = CliRunner()

    def run(*arguments: str, input: str | None = None):
        return runner.invoke(app, list(arguments), input=input, catch_exceptions=False)

    return run
