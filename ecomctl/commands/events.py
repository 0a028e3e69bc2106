"""`ecomctl events` and `ecomctl queues`: watch the event flow and the queue depths."""

from __future__ import annotations

import time

import typer

from ecomctl.broker.queues import queue_depths, queue_names
from ecomctl.broker.tap import tap
from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.description.stack_file import default_stack
from ecomctl.views import output
from ecomctl.views.events import event_line, queue_table

app = typer.Typer()


@app.command()
@friendly
def events(
    ctx: typer.Context,
    binding: str = typer.Option("#", "--filter", help="Routing-key pattern, e.g. 'order.*' or 'payment.failed'."),
    count: int = typer.Option(0, "--count", "-n", min=0, help="Stop after this many events (0: never)."),
    timeout: float = typer.Option(0, "--timeout", min=0, help="Stop after this many seconds (0: never)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON envelope per line."),
):
    """Show every event on the exchange live, through a private queue of this command's own."""
    runtime = current_runtime(ctx)
    deadline = time.monotonic() + timeout if timeout else None
    seen = 0
    if not as_json:
        output.console.print(
            f"[dim]listening on {default_stack().events['exchange']} for {binding!r}; Ctrl-C stops[/dim]"
        )
    for event in tap(runtime.broker_url(), default_stack().events["exchange"], binding=binding):
        if event is not None:
            seen += 1
            if as_json:
                output.print_json_line(event.envelope)
            else:
                event_line(event)
        if (count and seen >= count) or (deadline and time.monotonic() >= deadline):
            return


@app.command()
@friendly
def queues(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Depth and consumers of every consumer queue and dead-letter queue."""
    depths = queue_depths(current_runtime(ctx).broker_url(), queue_names(default_stack()))
    if as_json:
        output.print_json(depths)
    else:
        queue_table(depths)
