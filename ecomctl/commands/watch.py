"""`ecomctl watch`: a live dashboard of the running stack; one snapshot without a terminal."""

from __future__ import annotations

import contextlib
import select
import sys
import time

import typer
from rich.live import Live

from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.observability.dashboard import Watcher
from ecomctl.shop.api_client import ApiClient, ApiError, gateway_url
from ecomctl.shop.logins import admin_login
from ecomctl.views import output
from ecomctl.views.watch import watch_screen

app = typer.Typer()

REFRESH_SECONDS = 0.5


@app.command()
@friendly
def watch(ctx: typer.Context):
    """Components, queues (depth, consumers, rate), the latest events and orders by status,
    refreshed twice a second; q or Ctrl-C leaves. Without a terminal: one snapshot."""
    runtime = current_runtime(ctx)
    with Watcher(runtime, _admin()) as watcher:
        if not (sys.stdin.isatty() and output.console.is_terminal):
            output.console.print(watch_screen(watcher.snapshot(), interactive=False))
            return
        with (
            _keys() as pressed,
            Live(
                watch_screen(watcher.snapshot(), interactive=True),
                console=output.console,
                screen=True,
                auto_refresh=False,
            ) as live,
        ):
            try:
                while pressed(REFRESH_SECONDS) != "q":
                    live.update(watch_screen(watcher.snapshot(), interactive=True), refresh=True)
            except KeyboardInterrupt:
                pass


def _admin() -> ApiClient | None:
    try:
        return admin_login(ApiClient(gateway_url()))
    except ApiError:
        return None  # not seeded, or the gateway is down: the dashboard shows the rest


@contextlib.contextmanager
def _keys():
    """A function that waits up to `timeout` seconds for one key press (None: none)."""
    import termios
    import tty

    descriptor = sys.stdin.fileno()
    saved = termios.tcgetattr(descriptor)
    tty.setcbreak(descriptor)

    def pressed(timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        ready, _, _ = select.select([sys.stdin], [], [], max(0.0, deadline - time.monotonic()))
        return sys.stdin.read(1) if ready else None

    try:
        yield pressed
    finally:
        termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
