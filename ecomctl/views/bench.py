"""`ecomctl bench` drawn: a progress bar per phase while it runs, then the figures and
where the CPU time of an order went."""

from __future__ import annotations

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ecomctl.bench.report import BenchReport
from ecomctl.bench.run import BenchProgress
from ecomctl.views.output import console, errors


class BenchBar:
    """The bar of the current phase; nothing on a terminal-less run but one line a phase."""

    def __init__(self, quiet: bool):
        self._quiet = quiet
        self._bar = (
            Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=errors,
                transient=True,
            )
            if errors.is_terminal
            else None
        )
        self._task: TaskID | None = None

    def __enter__(self) -> BenchProgress:
        if self._bar:
            self._bar.__enter__()
        return BenchProgress(phase=self._phase, advance=self._advance)

    def __exit__(self, *exc_info) -> None:
        if self._bar:
            self._bar.__exit__(*exc_info)

    def _phase(self, name: str, total: int | None) -> None:
        if self._bar:
            if self._task is not None:
                self._bar.remove_task(self._task)
            self._task = self._bar.add_task(name, total=total)
        elif not self._quiet:
            errors.print(f"[dim]{name} ...[/dim]")

    def _advance(self, steps: int) -> None:
        if self._bar and self._task is not None and steps:
            self._bar.advance(self._task, steps)


def bench_summary(report: BenchReport) -> None:
    figures = Table(title=f"ecomctl bench: {report.customers} customers, {report.runtime} runtime", show_header=False)
    figures.add_column(style="bold")
    figures.add_column()
    rows = [
        ("clients", report.client_addresses),
        (
            "orders",
            f"{report.orders_tried} tried, {report.orders_accepted} accepted, "
            f"{report.orders_confirmed} confirmed, {report.orders_cancelled} cancelled",
        ),
        ("accepted", f"{report.accepted_per_second} orders/s ({report.seconds} s of load)"),
        ("final", f"{report.final_per_second} orders/s end to end (first created to last final)"),
        ("POST /orders/", _latencies(report.post_ms)),
        ("created to final", _latencies(report.final_ms)),
        ("errors", ", ".join(f"{status} ×{count}" for status, count in report.errors_by_status.items()) or "none"),
        ("duplicate charges", _must_be_zero(report.duplicate_charges)),
        ("orders never final", _must_be_zero(report.orders_never_final)),
    ]
    for name, value in rows:
        figures.add_row(name, value)
    console.print(figures)
    cpu = Table(title="CPU per order accepted", show_lines=False)
    cpu.add_column("component")
    cpu.add_column("ms", justify="right")
    for component, ms in report.cpu_ms_per_order.items():
        cpu.add_row(component, f"{ms:.2f}")
    cpu.add_row("[bold]total[/bold]", f"[bold]{sum(report.cpu_ms_per_order.values()):.2f}[/bold]")
    console.print(cpu)


def _latencies(ms: dict[str, float]) -> str:
    return "  ".join(f"{name} {value:.1f} ms" for name, value in ms.items())


def _must_be_zero(count: int) -> str:
    return "[green]0[/green]" if count == 0 else f"[bold red]{count}[/bold red]"
