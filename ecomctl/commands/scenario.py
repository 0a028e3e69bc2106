"""`ecomctl scenario list|validate|run`: scenarios written as files (scenarios/*.yaml, or
any path), narrated step by step, and judged by the invariants over what the run recorded.

Exit codes of run: 0 everything held, 1 the system misbehaved, 2 a bad file or a stack
that is not up (or not seeded)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ecomctl.broker.queues import queue_names
from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.description.stack_file import default_stack
from ecomctl.runtime.errors import RuntimeProblem
from ecomctl.scenarios import ScenarioProblem, set_stage
from ecomctl.scenarios.files.runner import (
    ScenarioFileError,
    builtin_files,
    find_file,
    load_scenario,
    play_file,
    run_summary,
)
from ecomctl.shop.api_client import gateway_url
from ecomctl.views import output
from ecomctl.views.scenarios import ScenarioNarration, scenario_list, scenario_summary, scenario_verdict

app = typer.Typer(
    help="Failure scenarios as files: break one thing, check what the system does, mend it.", no_args_is_help=True
)

BAD_INPUT = 2


@app.command("list")
@friendly
def list_scenarios(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """The built-in scenarios, in the scenarios/ folder."""
    scenarios = [_load(path) for path in builtin_files()]
    if as_json:
        output.print_json(
            [{"name": s.name, "title": s.title, "teaches": s.teaches, "file": str(s.path)} for s in scenarios]
        )
    else:
        scenario_list(scenarios)


@app.command("validate")
def validate(files: list[Path] = typer.Argument(..., help="Scenario files to check.")):
    """Check scenario files against the vocabulary (docs/scenarios.md); exit 2 on the first problem."""
    for path in files:
        scenario = _load(path)
        output.console.print(f"{path}: valid, {len(scenario.all_steps())} steps ({scenario.name})")


@app.command("run")
@friendly
def run(
    ctx: typer.Context,
    name: str = typer.Argument(None, metavar="NAME|FILE", help="A built-in's name (`scenario list`) or a file's path."),
    every: bool = typer.Option(False, "--all", help="Run every built-in scenario, one after the other."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole record and verdict as JSON at the end."),
    report: Path = typer.Option(None, "--report", help="Also write the record and verdict to this JSON file."),
):
    """Play scenarios on the running, seeded stack; exit 1 when the system did not behave.

    Whatever happens (a failed check, Ctrl-C), the rollbacks run before it ends.
    """
    if not every and not name:
        output.error("Name a scenario (see `ecomctl scenario list`), give a file's path, or use --all.")
        raise typer.Exit(BAD_INPUT)
    try:
        scenarios = [_load(path) for path in (builtin_files() if every else [find_file(name)])]
    except ScenarioProblem as problem:
        output.error(str(problem))
        raise typer.Exit(BAD_INPUT) from None
    runtime = current_runtime(ctx)
    _refuse_unknown_names(scenarios, runtime.component_names(), queue_names(runtime.stack))
    results = []
    for scenario in scenarios:
        try:
            stage = set_stage(
                scenario,
                runtime,
                gateway=gateway_url(),
                broker_url=runtime.broker_url(),
                exchange=default_stack().events["exchange"],
            )
        except (ScenarioProblem, RuntimeProblem) as problem:  # not seeded, not up, not healthy
            output.error(str(problem))
            raise typer.Exit(BAD_INPUT) from None
        if not as_json:
            stage.narrator = ScenarioNarration(scenario)
        try:
            result = play_file(scenario, stage)
        except KeyboardInterrupt:
            output.error(f"{scenario.name} interrupted; its rollbacks have run.")
            raise typer.Exit(130) from None
        results.append(result)
        runtime.state.record_scenario_run(run_summary(scenario, result, runtime.stack.unsafe))
        if not as_json:
            scenario_verdict(result)
    if len(results) > 1 and not as_json:
        scenario_summary(results)
    record = results[0] if len(results) == 1 and not every else results
    if report:
        report.write_text(json.dumps(output.plain(record), indent=2, default=str))
    if as_json:
        output.print_json(record)
    if not all(result.passed for result in results):
        raise typer.Exit(1)


def _load(path: Path):
    try:
        return load_scenario(path)
    except ScenarioFileError as problem:
        output.error(str(problem))
        raise typer.Exit(BAD_INPUT) from None


def _refuse_unknown_names(scenarios, components: list[str], queues: list[str]) -> None:
    """Components and queues are the stack's, not the vocabulary's: checked against the
    running stack before anything breaks."""
    for scenario in scenarios:
        # Infrastructure this runtime does not run (given by URL) gets its own sentence from set_stage.
        unknown = [name for name in scenario.components if name not in components and name not in scenario.needs]
        if unknown:
            output.error(
                f"{scenario.path}: this stack has no component {unknown[0]!r}. Choose one of: {', '.join(components)}."
            )
            raise typer.Exit(BAD_INPUT)
        unknown = [name for name in scenario.queues if name not in queues]
        if unknown:
            output.error(
                f"{scenario.path}: this stack has no queue {unknown[0]!r}. Choose one of: {', '.join(queues)}."
            )
            raise typer.Exit(BAD_INPUT)
