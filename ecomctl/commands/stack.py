"""`ecomctl up|down|status|logs`: the stack as a whole."""

from __future__ import annotations

import time

import typer

from ecomctl.broker.connection import BrokerUnreachable
from ecomctl.broker.queues import queue_depths, queue_names
from ecomctl.cli.runtime_choice import RUNTIME_OPTION, current_runtime, remember_runtime, runtime_named
from ecomctl.cli.user_errors import friendly
from ecomctl.description.stack_file import default_stack
from ecomctl.description.switches import SWITCHES, checked
from ecomctl.runtime import ProgressEvent
from ecomctl.runtime.base import ComponentStatus
from ecomctl.views import output
from ecomctl.views.events import queue_table
from ecomctl.views.stack import UpProgress, component_table, log_line, unsafe_banner, up_summary

UNSAFE_HELP = (
    f"Turn one safeguard off, to see what breaks without it: {', '.join(SWITCHES)}. "
    "Repeat for several; a plain `up` turns them all back on."
)

app = typer.Typer()


@app.command()
@friendly
def up(
    ctx: typer.Context,
    runtime: str = RUNTIME_OPTION,
    unsafe: list[str] = typer.Option(
        [],
        "--unsafe",
        metavar="SWITCH",
        help=UNSAFE_HELP,
    ),
):
    """Start infrastructure and services in dependency order and wait until all are healthy."""
    chosen = runtime_named(ctx, runtime)
    chosen.switch_unsafe(checked(unsafe))
    started = time.monotonic()
    with UpProgress() as progress:
        chosen.up(progress=progress)
    remember_runtime(chosen.name)
    up_summary(gateway=chosen.gateway_url(), seconds=time.monotonic() - started, runtime=chosen.name)
    unsafe_banner(chosen.stack.unsafe)


@app.command()
@friendly
def down(
    ctx: typer.Context,
    volumes: bool = typer.Option(False, "--volumes", help="Also delete all data (databases, queues)."),
    runtime: str = typer.Option(None, "--runtime", "-r", help="The runtime to stop (default: the one `up` used)."),
):
    """Stop everything ecomctl started."""
    chosen = runtime_named(ctx, runtime) if runtime else current_runtime(ctx)

    def show(event: ProgressEvent) -> None:
        if event.component == "stack":
            output.console.print(f"stack {event.step}: {event.detail}")

    chosen.down(volumes=volumes, progress=show)
    chosen.switch_unsafe(())  # the next `up` starts safe unless it asks otherwise


@app.command()
@friendly
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Each component's state, health, address and restarts, and the RabbitMQ queues."""
    chosen = current_runtime(ctx)
    components: list[ComponentStatus] = chosen.status()
    running = any(component.state == "running" for component in components)
    depths, broker_problem = [], None
    if running:
        try:
            depths = queue_depths(chosen.broker_url(), queue_names(default_stack()))
        except BrokerUnreachable as problem:
            broker_problem = str(problem)
    if as_json:
        output.print_json(
            {
                "components": components,
                "queues": depths,
                "broker_problem": broker_problem,
                "unsafe": list(chosen.stack.unsafe),
            }
        )
        return
    unsafe_banner(chosen.stack.unsafe)
    component_table(components)
    if depths:
        queue_table(depths)
    elif broker_problem:
        output.error(broker_problem)


@app.command()
@friendly
def logs(
    ctx: typer.Context,
    component: str = typer.Argument(None, help="One component or service; all when left out."),
    follow: bool = typer.Option(False, "--follow", "-f", help="Keep printing new lines."),
    grep: str = typer.Option(None, "--grep", help="Only lines containing this text."),
):
    """Merged logs, coloured by component."""
    for name, line in current_runtime(ctx).logs(component, follow=follow, grep=grep):
        log_line(name, line)
