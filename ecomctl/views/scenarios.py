"""`ecomctl scenario` drawn: the list, the narration while a scenario plays, the final
table of steps and invariants, and the summary of --all."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from ecomctl.views.output import EVENT_STYLES, console, error


def scenario_list(scenarios) -> None:
    table = Table(show_edge=False)
    table.add_column("scenario")
    table.add_column("what it shows")
    for scenario in scenarios:
        table.add_row(scenario.name, scenario.summary)
    console.print(table)
    console.print("[dim]run one with: ecomctl scenario run NAME[/dim]")


OUTCOME_MARKS = {"passed": "[green]✓[/green]", "failed": "[red]✗[/red]", "interrupted": "[yellow]![/yellow]"}


class ScenarioNarration:
    """Narrates a scenario as it plays: each step's action and expectation when it starts,
    what happened when it ends, and the events the tap saw for it."""

    def __init__(self, scenario) -> None:
        self._number = 0
        console.print(f"[bold]{scenario.name}[/bold]  {escape(scenario.summary)}\n")

    def step_started(self, step) -> None:
        if step.restore:
            console.print(f"[dim]restore[/dim] {escape(step.action)}")
            return
        self._number += 1
        console.print(f"[bold]{self._number:>2}[/bold] {escape(step.action)}")
        console.print(f"   [dim]expect[/dim] {escape(step.expect)}")

    def step_finished(self, step) -> None:
        mark = OUTCOME_MARKS.get(step.outcome, "?")
        happened = escape(step.happened or step.outcome)
        console.print(f"   {mark} {happened} [dim]({step.seconds:.1f} s)[/dim]")
        for event in step.events:
            kind = str(event["type"]).split(".")[0]
            style = EVENT_STYLES.get(kind, "white")
            console.print(
                f"     {str(event['occurred_at'] or '')[11:23]} [{style}]{event['type']:<18}[/{style}] "
                f"{event['producer'] or '?':<13} order {str(event['order_id'])[:8]} "
                f"[dim]flow {str(event['flow'] or '')[:8]}[/dim]"
            )


def scenario_verdict(result) -> None:
    """The final table: each step held or not, with its time; then the invariants."""
    steps = Table(show_edge=False, title=f"{result.scenario}: steps")
    for column in ("", "step", "seconds"):
        steps.add_column(column)
    for step in result.steps:
        steps.add_row(
            OUTCOME_MARKS.get(step.outcome, "?"),
            escape(("restore: " if step.restore else "") + step.action),
            f"{step.seconds:.1f}",
        )
    console.print(steps)
    invariants = Table(show_edge=False, title="invariants")
    for column in ("", "invariant", "checked", "detail"):
        invariants.add_column(column)
    for invariant in result.invariants:
        invariants.add_row(
            OUTCOME_MARKS["passed" if invariant.held else "failed"],
            invariant.name,
            str(invariant.count),
            escape(invariant.detail),
        )
    console.print(invariants)
    scenario_result(result)


def scenario_summary(results) -> None:
    table = Table(show_edge=False, title="every scenario")
    for column in ("", "scenario", "seconds", "failure"):
        table.add_column(column)
    for result in results:
        table.add_row(
            OUTCOME_MARKS["passed" if result.passed else "failed"],
            result.scenario,
            f"{result.seconds:.1f}",
            escape(result.failure or ""),
        )
    console.print(table)


def scenario_result(result) -> None:
    checked = sum(1 for step in result.steps if not step.restore)
    if result.passed:
        console.print(
            f"\n[bold green]✓ {result.scenario} passed[/bold green]: "
            f"{checked} steps behaved as expected ({result.seconds:.1f} s)"
        )
    else:
        console.print(f"\n[bold red]✗ {result.scenario} failed[/bold red] ({result.seconds:.1f} s)")
        error(escape(result.failure))
