"""`ecomctl watch` drawn: components, queues, the latest events and orders by status, in
one screen that a rich Live display refreshes."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ecomctl.observability.dashboard import Snapshot
from ecomctl.views.output import EVENT_STYLES

STATE_STYLES = {
    "running": "green",
    "paused": "yellow",
    "starting": "yellow",
    "down": "red",
    "exited": "red",
    "stopped": "red",
    "failed": "red",
}


def watch_screen(shot: Snapshot, *, interactive: bool) -> Group:
    parts: list[RenderableType] = [Text(f" UNSAFE: {name} is on ", style="bold white on red") for name in shot.unsafe]
    parts += [_components(shot), _queues(shot), _events(shot), _orders(shot)]
    parts += [Text(problem, style="red") for problem in shot.problems]
    if interactive:
        parts.append(Text("q or Ctrl-C leaves", style="dim"))
    return Group(*parts)


def _components(shot: Snapshot) -> Table:
    table = _table("components", "component", "state", "health", "restarts")
    for component in shot.components:
        style = STATE_STYLES.get(component.state, "white")
        health = "[green]healthy[/green]" if component.healthy else "[red]unhealthy[/red]"
        table.add_row(
            component.name,
            f"[{style}]{component.state}[/{style}]",
            health if component.state != "down" else "",
            str(component.restarts),
        )
    return table


def _queues(shot: Snapshot) -> Table:
    table = _table("queues", "queue", "messages", "consumers", "rate/s")
    for queue in shot.queues:
        rate = "" if queue.rate is None else f"{queue.rate:+.1f}"
        messages = "-" if queue.messages is None else str(queue.messages)
        style = "yellow" if queue.messages else "white"
        table.add_row(
            queue.name, f"[{style}]{messages}[/{style}]", "-" if queue.consumers is None else str(queue.consumers), rate
        )
    return table


def _events(shot: Snapshot) -> Table:
    table = _table("latest events", "time", "event", "from", "order")
    for event in shot.events:
        style = EVENT_STYLES.get(str(event["type"]).split(".")[0], "white")
        table.add_row(
            str(event["occurred_at"] or "")[11:23],
            f"[{style}]{escape(str(event['type']))}[/{style}]",
            str(event["producer"] or ""),
            str(event["order_id"] or "")[:8],
        )
    return table


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, show_edge=False)
    for column in columns:
        table.add_column(column)
    return table


def _orders(shot: Snapshot) -> Text:
    counted = "  ".join(f"{status} {count}" for status, count in sorted(shot.orders.items())) or "none"
    return Text(f"orders: {counted}")
