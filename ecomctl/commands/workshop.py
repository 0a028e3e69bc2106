"""`ecomctl workshop list|start|check`: the graded exercises of docs/workshop/. `start N`
marks where an exercise begins (and sets up what it needs); `check N` grades what the
stack recorded since: exit 0 when every criterion holds, 1 otherwise, with what was found."""

from __future__ import annotations

import time

import typer

from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.shop.api_client import gateway_url
from ecomctl.views import output
from ecomctl.views.workshop import criteria_list, exercise_table
from ecomctl.workshop.exercises import EXERCISES, exercise
from ecomctl.workshop.lab import Lab

app = typer.Typer(help="Graded exercises (docs/workshop/): start one, do it, check it.", no_args_is_help=True)

SETTLE_SECONDS = 10.0
NUMBER = typer.Argument(..., metavar="N", help="The exercise's number (`ecomctl workshop list`).")


@app.command("list")
@friendly
def list_exercises(ctx: typer.Context):
    """Every exercise, its text, and whether you started or passed it on this stack."""
    exercise_table(EXERCISES, current_runtime(ctx).state.workshop())


@app.command()
@friendly
def start(ctx: typer.Context, number: int = NUMBER):
    """Mark the beginning of exercise N: its check grades only what happens from now on."""
    chosen = _exercise(number)
    runtime = current_runtime(ctx)
    marks = chosen.start(Lab(runtime, gateway_url()))
    progress = runtime.state.workshop()
    progress[str(number)] = {"marks": marks, "passed": False}
    runtime.state.remember_workshop(progress)
    output.console.print(
        f"[bold]{number}. {chosen.title}[/bold] started. Follow {chosen.doc}, "
        f"then run `ecomctl workshop check {number}`."
    )


@app.command()
@friendly
def check(ctx: typer.Context, number: int = NUMBER):
    """Grade exercise N from what the stack recorded since `workshop start N`."""
    chosen = _exercise(number)
    runtime = current_runtime(ctx)
    progress = runtime.state.workshop()
    if str(number) not in progress:
        output.error(
            f"Exercise {number} was not started on this stack. Run `ecomctl workshop start {number}` first, "
            f"then follow {chosen.doc}."
        )
        raise typer.Exit(2)
    criteria = _settled(lambda: chosen.check(Lab(runtime, gateway_url()), progress[str(number)]["marks"]))
    passed = all(criterion.holds for criterion in criteria)
    progress[str(number)]["passed"] = passed
    runtime.state.remember_workshop(progress)
    criteria_list(chosen, criteria, passed)
    if not passed:
        raise typer.Exit(1)


def _settled(check) -> list:
    """The check's criteria once they all hold, or as they stand after SETTLE_SECONDS: what
    the learner just did may still be on its way (an event in a queue, a retry)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        criteria = check()
        if all(criterion.holds for criterion in criteria) or time.monotonic() >= deadline:
            return criteria
        time.sleep(1.0)


def _exercise(number: int):
    chosen = exercise(number)
    if chosen is None:
        output.error(f"There is no exercise {number}. Choose 1 to {len(EXERCISES)} (`ecomctl workshop list`).")
        raise typer.Exit(2)
    return chosen
