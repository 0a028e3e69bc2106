"""`ecomctl kill|stop|start|restart|pause|unpause COMPONENT`: break and mend one part."""

from __future__ import annotations

import typer

from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.views import output

app = typer.Typer()

COMPONENT = typer.Argument(
    ...,
    help="A service (all its processes), one process (payments-web, payments-relay, "
    "payments-order-created), rabbitmq, <service>-db or gateway.",
)

ACTIONS = {
    "kill": ("SIGKILL: the process dies at once and stays down until started.", "killed"),
    "stop": ("Stop gracefully.", "stopped"),
    "start": ("Start again and wait until healthy.", "started"),
    "restart": ("Stop, then start.", "restarted"),
    "pause": ("Freeze (SIGSTOP): connections stay open but nothing answers.", "paused"),
    "unpause": ("Let a paused component run again.", "unpaused"),
}


def _register(action: str, help_text: str, done: str) -> None:
    @friendly
    def command(ctx: typer.Context, component: str = COMPONENT):
        getattr(current_runtime(ctx), action)(component)
        output.console.print(f"{component} {output.styled(done)}")

    command.__doc__ = help_text
    app.command(action)(command)


for _action, (_help, _done) in ACTIONS.items():
    _register(_action, _help, _done)
