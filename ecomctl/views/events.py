"""`ecomctl events`, `queues` and `dead-letters` drawn: a line per event, queue depths,
and what each dead-letter queue holds and why."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from ecomctl.views.output import EVENT_STYLES, console


def queue_table(depths) -> None:
    table = Table(title="RabbitMQ queues", show_edge=False)
    for column in ("queue", "messages", "consumers"):
        table.add_column(column)
    for depth in depths:
        missing = depth.messages is None
        table.add_row(depth.name, "-" if missing else str(depth.messages), "-" if missing else str(depth.consumers))
    console.print(table)


def dead_letter_queues(queues) -> None:
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
            table.add_row(
                *(
                    Text(value or "-")
                    for value in (
                        letter.event_type,
                        (letter.event_id or "")[:8],
                        (letter.correlation_id or "")[:8],
                        why,
                    )
                ),
                Text(letter.body_preview or ""),
            )
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
