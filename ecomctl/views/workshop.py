"""`ecomctl workshop` drawn: the exercises with their progress, and a check's criteria."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from ecomctl.views.output import console


def exercise_table(exercises, progress: dict) -> None:
    table = Table(show_edge=False)
    for column in ("", "exercise", "text", "here"):
        table.add_column(column)
    for item in exercises:
        state = progress.get(str(item.number))
        here = "" if state is None else "[green]passed[/green]" if state["passed"] else "[yellow]started[/yellow]"
        table.add_row(str(item.number), item.title, item.doc, here)
    console.print(table)
    console.print("[dim]ecomctl workshop start N, do the exercise, then ecomctl workshop check N[/dim]")


def criteria_list(item, criteria, passed: bool) -> None:
    console.print(f"[bold]{item.number}. {escape(item.title)}[/bold]")
    for criterion in criteria:
        mark = "[green]✓[/green]" if criterion.holds else "[red]✗[/red]"
        console.print(f" {mark} {escape(criterion.text)}")
    if passed:
        console.print(f"\n[bold green]✓ exercise {item.number} passed[/bold green]")
    else:
        console.print(f"\n[bold red]✗ exercise {item.number} not passed yet[/bold red]: see {item.doc}")
