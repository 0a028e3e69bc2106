"""Which runtime a command acts on: one handed to the CLI as its context object, a runtime
or a factory of one (`CliRunner().invoke(app, args, obj=LocalRuntime)`, as tests do), else
the one `up` used, remembered in the state directory, else auto."""

from __future__ import annotations

import typer

from ecomctl.runtime import RUNTIME_NAMES, Runtime, get_runtime
from ecomctl.runtime.state import StateDirectory

RUNTIME_OPTION = typer.Option(
    "auto",
    "--runtime",
    "-r",
    help=f"One of {', '.join(RUNTIME_NAMES)} (auto: the one the last `up` used, else docker when an engine answers).",
)


def given_runtime(context: typer.Context) -> Runtime | None:
    given = context.find_root().obj
    if given is None or isinstance(given, Runtime):
        return given
    return given()  # a factory: made here, so a broken stack file is reported like any problem


def runtime_named(context: typer.Context, name: str) -> Runtime:
    """The runtime `up --runtime NAME` acts on; auto is the one this stack was last brought
    up on, so a second `up` never starts a second stack beside the first."""
    given = given_runtime(context)
    if given and name in ("auto", given.name):
        return given
    if name == "auto":
        name = StateDirectory.from_environment().remembered_runtime() or "auto"
    return get_runtime(name)


def remember_runtime(name: str) -> None:
    StateDirectory.from_environment().remember_runtime(name)


def current_runtime(context: typer.Context) -> Runtime:
    return given_runtime(context) or get_runtime(StateDirectory.from_environment().remembered_runtime() or "auto")
