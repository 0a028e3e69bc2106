"""`ecomctl trace` drawn: a table in time order, or a Mermaid sequence diagram with one
lifeline per service and the broker, which GitHub and most documentation tools render."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from ecomctl.observability.order_trace import BROKER, CLIENT, Trace
from ecomctl.views.output import console, error

KIND_STYLES = {
    "request": "cyan",
    "status": "bold",
    "published": "magenta",
    "consumed": "green",
    "charge": "yellow",
    "notification": "blue",
}


def trace_table(trace: Trace) -> None:
    flows = ", ".join(flow[:12] for flow in trace.flows) or "none seen"
    console.print(f"[bold]order {trace.order_id}[/bold]  {trace.status}  [dim]flow {flows}[/dim]")
    table = Table(show_edge=False)
    for column in ("time", "from", "to", "what"):
        table.add_column(column)
    for entry in trace.entries:
        style = KIND_STYLES.get(entry.kind, "white")
        target = "" if entry.target == entry.source else entry.target
        table.add_row(entry.at[11:23], entry.source, target, f"[{style}]{escape(entry.what)}[/{style}]")
    console.print(table)
    if len(trace.flows) > 1:
        error(f"The order's events carry {len(trace.flows)} flow ids; one order should be one flow.")
    if trace.unreachable:
        error(f"Not asked (not answering): {', '.join(trace.unreachable)}; their part of the story is missing.")


def trace_mermaid(trace: Trace) -> str:
    participants = [
        CLIENT,
        *dict.fromkeys(
            name for entry in trace.entries for name in (entry.source, entry.target) if name not in (CLIENT, BROKER)
        ),
    ]
    lines = ["sequenceDiagram", *(f"    participant {name}" for name in participants)]
    if any(BROKER in (entry.source, entry.target) for entry in trace.entries):
        lines.insert(2, f"    participant {BROKER} as RabbitMQ")
    for entry in trace.entries:
        text = entry.what.replace(";", ",").replace("#", "")
        if entry.source == entry.target:
            lines.append(f"    Note over {entry.source}: {text}")
        else:
            arrow = "-)" if BROKER in (entry.source, entry.target) else "->>"
            lines.append(f"    {entry.source}{arrow}{entry.target}: {text}")
    return "\n".join(lines) + "\n"
