"""Everything ecomctl draws. Rich on a terminal; Rich degrades to plain text when the
output is piped; --json callers bypass this module and print the same data as JSON."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

# Piped output is read by people too (and by tests): do not squeeze it into 80 columns.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

STATE_STYLES = {
    "running": "green", "healthy": "green", "CONFIRMED": "green",
    "PENDING": "yellow", "starting": "yellow", "paused": "yellow",
    "stopped": "red", "exited": "red", "killed": "red", "CANCELLED": "red", "unhealthy": "red",
}
EVENT_STYLES = {"order": "cyan", "payment": "magenta", "notification": "blue"}


def styled(value: str) -> str:
    style = STATE_STYLES.get(value)
    return f"[{style}]{value}[/{style}]" if style else value


def print_json(data: Any) -> None:
    print(json.dumps(plain(data), indent=2, default=str))


def plain(data: Any) -> Any:
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return dataclasses.asdict(data)
    if isinstance(data, (list, tuple)):
        return [plain(item) for item in data]
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    return data


def error(message: str) -> None:
    errors.print(f"[bold red]error:[/bold red] {message}")


def order(order: dict) -> None:
    table = Table(title=f"order {order['id']}", show_edge=False)
    for column in ("product", "quantity", "unit price", "line total"):
        table.add_column(column)
    for item in order.get("items", []):
        table.add_row(item.get("name", str(item["product_id"])), str(item["quantity"]),
                      item["unit_price"], item.get("line_total", ""))
    console.print(table)
    console.print(f"total {order['total']} {order['currency']}   status {styled(order['status'])}")
    for change in order.get("status_history", []):
        reason = f" ({change['reason']})" if change.get("reason") else ""
        console.print(f"  {change['changed_at']}  {styled(change['status'])}{reason}")


def order_list(orders: list[dict]) -> None:
    table = Table(show_edge=False)
    for column in ("id", "status", "total", "created"):
        table.add_column(column)
    for item in orders:
        table.add_row(item["id"], styled(item["status"]), f"{item['total']} {item['currency']}", item["created_at"])
    console.print(table)


def seed_report(report, admin: dict, customers: list[dict]) -> None:
    console.print(f"customers: {len(report.customers_created)} created, {len(report.customers_existing)} already there")
    console.print(f"products:  {len(report.products_created)} created, {len(report.products_existing)} already there")
    table = Table(title="demo logins", show_edge=False)
    table.add_column("role")
    table.add_column("email")
    table.add_column("password")
    table.add_row("admin", admin["email"], admin["password"])
    for customer in customers:
        table.add_row("customer", customer["email"], customer["password"])
    console.print(table)


def queue_depths(depths) -> None:
    table = Table(title="RabbitMQ queues", show_edge=False)
    for column in ("queue", "messages", "consumers"):
        table.add_column(column)
    for depth in depths:
        missing = depth.messages is None
        table.add_row(depth.name, "-" if missing else str(depth.messages), "-" if missing else str(depth.consumers))
    console.print(table)


def dead_letters(queues) -> None:
    """Ids are cut to eight characters as in event_line; --json has them whole."""
    for queue in queues:
        if queue.depth is None:
            console.print(f"[bold]{queue.name}[/bold]  [dim]not declared yet: its consumer has never started[/dim]")
            continue
        if not queue.depth:
            console.print(f"[bold]{queue.name}[/bold]  [green]empty[/green]")
            continue
        shown = f", the first {len(queue.messages)} shown" if len(queue.messages) < queue.depth else ""
        console.print(f"[bold]{queue.name}[/bold]  [red]{queue.depth} message(s)[/red]{shown}")
        table = Table(show_edge=False)
        for column in ("event", "event id", "flow", "dead-lettered", "body (not an event)"):
            table.add_column(column)
        for letter in queue.messages:
            why = "; ".join(
                f"{death.reason} ×{death.count}" + ("" if death.queue == queue.source else f" from {death.queue}")
                for death in letter.deaths
            )
            # Text, not markup: these come from the messages, and a body may hold anything.
            table.add_row(*(Text(value or "-") for value in (
                letter.event_type, (letter.event_id or "")[:8], (letter.correlation_id or "")[:8], why,
            )), Text(letter.body_preview or ""))
        console.print(table)


def event_line(event) -> None:
    envelope = event.envelope
    kind = event.routing_key.split(".")[0]
    style = EVENT_STYLES.get(kind, "white")
    data = envelope.get("data", {}) if isinstance(envelope.get("data"), dict) else {}
    order_id = str(data.get("order_id", ""))[:8]
    extra = data.get("reason") or data.get("total") or ""
    console.print(
        f"{str(envelope.get('occurred_at', ''))[11:23]} [{style}]{event.routing_key:<18}[/{style}] "
        f"{envelope.get('producer', '?'):<13} order {order_id:<8} {extra:<18} "
        f"[dim]flow {str(envelope.get('correlation_id', ''))[:8]}[/dim]"
    )


def print_json_line(data: Any) -> None:
    print(json.dumps(plain(data), default=str), flush=True)


STEP_STYLES = {"ready": "green", "waiting": "yellow", "starting": "cyan", "migrating": "cyan", "preparing": "dim",
               "building": "blue", "pulling": "blue",
               "reconfigured": "magenta"}
# Steps that stay on screen; the others only update the spinner.
LASTING_STEPS = ("ready", "reconfigured")


class UpProgress:
    """The live display of `up`: a spinner naming the current step, a line per ready
    component. Called with each ProgressEvent the runtime reports."""

    def __enter__(self):
        self._status = console.status("starting the stack") if console.is_terminal else None
        if self._status:
            self._status.__enter__()
        return self

    def __exit__(self, *exc_info):
        if self._status:
            self._status.__exit__(*exc_info)

    def __call__(self, event) -> None:
        # Details carry outside text (build output, paths): never rich markup.
        detail = f" {escape(event.detail)}" if event.detail else ""
        if event.step in LASTING_STEPS or not self._status:
            style = STEP_STYLES.get(event.step, "white")
            console.print(f"[{style}]{event.step:>9}[/{style}] {event.component}{detail}")
        else:
            self._status.update(f"{event.step} {event.component}{detail}")


def up_summary(*, gateway: str, seconds: float, runtime: str) -> None:
    from ecomctl import demo_data

    console.print(f"\n[bold green]ecomlab is up[/bold green] ({runtime} runtime, {seconds:.1f} s)")
    console.print(f"gateway   {gateway}")
    console.print(f"logins    {demo_data.CUSTOMERS[0]['email']} / {demo_data.CUSTOMERS[0]['password']} "
                  f"(after `ecomctl seed`)")
    console.print("next      ecomctl seed  ·  ecomctl order place --wait  ·  ecomctl events  ·  ecomctl status")


def component_table(components) -> None:
    table = Table(show_edge=False)
    for column in ("component", "kind", "state", "health", "address", "restarts", "pid"):
        table.add_column(column)
    for component in components:
        health = "" if component.state != "running" else ("healthy" if component.healthy else "unhealthy")
        table.add_row(component.name, str(getattr(component.kind, "value", component.kind)), styled(component.state),
                      styled(health), component.address or "", str(component.restarts), str(component.pid or ""))
    console.print(table)


_LOG_COLOURS = ["cyan", "magenta", "green", "yellow", "blue", "bright_red", "bright_cyan", "bright_magenta"]


def log_line(component: str, line: str) -> None:
    colour = _LOG_COLOURS[sum(component.encode()) % len(_LOG_COLOURS)]
    console.print(f"[{colour}]{component:<24}[/{colour}] ", end="")
    console.print(line.rstrip("\n"), markup=False, highlight=False)


def prerequisites(checks) -> None:
    table = Table(show_edge=False)
    for column in ("prerequisite", "needed for", "found", "install with"):
        table.add_column(column)
    for check in checks:
        found = f"[green]{check.location}[/green]" if check.found else "[red]missing[/red]"
        table.add_row(check.prerequisite.name, check.prerequisite.purpose, found,
                      "" if check.found else check.install_command)
    console.print(table)


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
            console.print(f"     {str(event['occurred_at'] or '')[11:23]} [{style}]{event['type']:<18}[/{style}] "
                          f"{event['producer'] or '?':<13} order {str(event['order_id'])[:8]} "
                          f"[dim]flow {str(event['flow'] or '')[:8]}[/dim]")


def scenario_verdict(result) -> None:
    """The final table: each step held or not, with its time; then the invariants."""
    steps = Table(show_edge=False, title=f"{result.scenario}: steps")
    for column in ("", "step", "seconds"):
        steps.add_column(column)
    for step in result.steps:
        steps.add_row(OUTCOME_MARKS.get(step.outcome, "?"), escape(("restore: " if step.restore else "") + step.action),
                      f"{step.seconds:.1f}")
    console.print(steps)
    invariants = Table(show_edge=False, title="invariants")
    for column in ("", "invariant", "checked", "detail"):
        invariants.add_column(column)
    for invariant in result.invariants:
        invariants.add_row(OUTCOME_MARKS["passed" if invariant.held else "failed"], invariant.name,
                           str(invariant.count), escape(invariant.detail))
    console.print(invariants)
    scenario_result(result)


def scenario_summary(results) -> None:
    table = Table(show_edge=False, title="every scenario")
    for column in ("", "scenario", "seconds", "failure"):
        table.add_column(column)
    for result in results:
        table.add_row(OUTCOME_MARKS["passed" if result.passed else "failed"], result.scenario, f"{result.seconds:.1f}",
                      escape(result.failure or ""))
    console.print(table)


def scenario_result(result) -> None:
    checked = sum(1 for step in result.steps if not step.restore)
    if result.passed:
        console.print(f"\n[bold green]✓ {result.scenario} passed[/bold green]: "
                      f"{checked} steps behaved as expected ({result.seconds:.1f} s)")
    else:
        console.print(f"\n[bold red]✗ {result.scenario} failed[/bold red] ({result.seconds:.1f} s)")
        error(escape(result.failure))
