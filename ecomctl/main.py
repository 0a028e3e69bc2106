"""The ecomctl command line: composes one module per command group."""

from __future__ import annotations

import typer

from ecomctl import __version__
from ecomctl.cli import user_errors
from ecomctl.commands import (
    bench,
    components,
    compose,
    dead_letters,
    doctor,
    events,
    images,
    operator,
    order,
    scenario,
    seed,
    stack,
    switches,
    trace,
    watch,
    workshop,
)
from ecomctl.runtime import RuntimeProblem

user_errors.register(RuntimeProblem)

app = typer.Typer(
    name="ecomctl",
    help="Start, seed, break and watch the ecomlab microservices stack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Groups added without a name put their commands at the top level (`ecomctl up`);
# the others are sub-commands (`ecomctl order place`). Help lists them in this order.
for group in (
    stack.app,
    bench.app,
    components.app,
    seed.app,
    events.app,
    operator.app,
    doctor.app,
    switches.app,
    trace.app,
    watch.app,
):
    app.add_typer(group)
app.add_typer(order.app, name="order")
app.add_typer(dead_letters.app, name="dead-letters")
app.add_typer(scenario.app, name="scenario")
app.add_typer(compose.app, name="compose")
app.add_typer(images.app, name="images")
app.add_typer(workshop.app, name="workshop")


def _version(value: bool) -> None:
    if value:
        print(f"ecomctl {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
):
    """Start, seed, break and watch the ecomlab microservices stack."""
