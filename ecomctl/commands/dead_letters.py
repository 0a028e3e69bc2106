"""`ecomctl dead-letters [QUEUE]` and `ecomctl dead-letters replay QUEUE`: what the
dead-letter queues hold, and sending it back to its queue once the cause is fixed."""

from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

from ecomctl.broker.dead_letters import DeadLetterProblem, peek, replay, resolve_queue, waiting
from ecomctl.broker.queues import consumer_queues, dead_letter_queue
from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.description.stack_file import default_stack
from ecomctl.views import output
from ecomctl.views.events import dead_letter_queues


class _ListUnlessReplay(TyperGroup):
    """`dead-letters [QUEUE] [OPTIONS]` is short for `dead-letters list [QUEUE] [OPTIONS]`."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["list", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_ListUnlessReplay,
    help="What the dead-letter queues hold (`dead-letters [QUEUE]`, short for `list`), and replaying it.",
)

QUEUE_HELP = "A consumer queue, e.g. payments.order-created; a trailing .dlq is fine."


@app.command("list")
@friendly
def list_dead_letters(
    ctx: typer.Context,
    queue: str | None = typer.Argument(None, help=f"{QUEUE_HELP} Default: every dead-letter queue."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Show at most this many messages per queue."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Show each dead letter: its event, flow id, why and how often it was dead-lettered.

    Nothing is taken out, and the messages keep their order.
    """
    queues = consumer_queues(default_stack())
    chosen = [resolve_queue(queue, queues)] if queue else queues
    held = peek(current_runtime(ctx).broker_url(), chosen, limit=limit)
    if as_json:
        output.print_json(held)
    else:
        dead_letter_queues(held)


@app.command("replay")
@friendly
def replay_dead_letters(
    ctx: typer.Context,
    queue: str = typer.Argument(..., help=QUEUE_HELP),
    count: int | None = typer.Option(None, "--count", "-n", min=1, help="Replay at most this many (default: all)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
):
    """Move dead letters back to the queue they came from, once the cause is fixed.

    Oldest first, to that queue alone; each leaves the dead-letter queue once the broker confirmed its copy.
    """
    queue = resolve_queue(queue, consumer_queues(default_stack()))
    source = dead_letter_queue(queue)
    if not yes and not _stdin_is_terminal():
        raise DeadLetterProblem(
            "Replaying asks for confirmation and there is no terminal to ask on. Add --yes to replay without asking."
        )
    url = current_runtime(ctx).broker_url()
    held = waiting(url, queue)
    if not held:
        output.console.print(f"Nothing to replay: {source} is empty.")
        return
    if not yes:
        moving = min(held, count) if count else held
        typer.confirm(f"Replay {moving} of {held} message(s) from {source} to {queue}?", abort=True)
    replayed = replay(url, queue, count=count)
    output.console.print(f"replayed {replayed} message(s) from {source} to {queue}")


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()
