"""`ecomctl scenario list|run NAME`: named failure scenarios, narrated step by step and
checked against what the running stack really does."""

from __future__ import annotations

import typer

from ecomctl import render
from ecomctl.client import gateway_url
from ecomctl.errors import friendly
from ecomctl.scenarios import SCENARIOS, find, play, set_stage
from ecomctl.selection import current_runtime
from ecomctl.stack import default_stack

app = typer.Typer(help="Named failure scenarios: break one thing, check what the system does, mend it.",
                  no_args_is_help=True)


@app.command("list")
def list_scenarios(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """The scenarios, in the order a workshop takes them."""
    if as_json:
        render.print_json([{"name": scenario.name, "summary": scenario.summary} for scenario in SCENARIOS])
    else:
        render.scenario_list(SCENARIOS)


@app.command("run")
@friendly
def run(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="A scenario's name, from `ecomctl scenario list`."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON at the end instead of narrating."),
):
    """Play one scenario on the running, seeded stack; exit 1 when the system did not behave.

    Whatever happens (a failed check, Ctrl-C), what the scenario broke is mended before it ends.
    """
    scenario = find(name)
    runtime = current_runtime(ctx)
    stage = set_stage(scenario, runtime, gateway=gateway_url(), broker_url=runtime.broker_url(),
                      exchange=default_stack().events["exchange"])
    if not as_json:
        stage.narrator = render.ScenarioNarration(scenario)
    try:
        result = play(scenario, stage)
    except KeyboardInterrupt:
        render.error(f"{scenario.name} interrupted; what it broke has been mended.")
        raise typer.Exit(130) from None
    if as_json:
        render.print_json(result)
    else:
        render.scenario_result(result)
    if not result.passed:
        raise typer.Exit(1)
