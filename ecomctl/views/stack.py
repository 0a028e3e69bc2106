"""`ecomctl up`, `status`, `logs` and `doctor` drawn: progress while starting, the
summary, the component table, log lines coloured by component, prerequisites."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from ecomctl.description.switches import SWITCHES
from ecomctl.shop import demo_data
from ecomctl.views.output import console, styled

STEP_STYLES = {
    "ready": "green",
    "waiting": "yellow",
    "starting": "cyan",
    "migrating": "cyan",
    "preparing": "dim",
    "building": "blue",
    "pulling": "blue",
    "reconfigured": "magenta",
}
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
    console.print(f"\n[bold green]ecomlab is up[/bold green] ({runtime} runtime, {seconds:.1f} s)")
    console.print(f"gateway   {gateway}")
    console.print(
        f"logins    {demo_data.CUSTOMERS[0]['email']} / {demo_data.CUSTOMERS[0]['password']} (after `ecomctl seed`)"
    )
    console.print("next      ecomctl seed  ·  ecomctl order place --wait  ·  ecomctl events  ·  ecomctl status")


def component_table(components) -> None:
    table = Table(show_edge=False)
    for column in ("component", "kind", "state", "health", "address", "restarts", "pid"):
        table.add_column(column)
    for component in components:
        health = "" if component.state != "running" else ("healthy" if component.healthy else "unhealthy")
        table.add_row(
            component.name,
            str(getattr(component.kind, "value", component.kind)),
            styled(component.state),
            styled(health),
            component.address or "",
            str(component.restarts),
            str(component.pid or ""),
        )
    console.print(table)


_LOG_COLOURS = ["cyan", "magenta", "green", "yellow", "blue", "bright_red", "bright_cyan", "bright_magenta"]


def log_line(component: str, line: str) -> None:
    colour = _LOG_COLOURS[sum(component.encode()) % len(_LOG_COLOURS)]
    console.print(f"[{colour}]{component:<24}[/{colour}] ", end="")
    console.print(line.rstrip("\n"), markup=False, highlight=False)


def prerequisite_table(checks) -> None:
    table = Table(show_edge=False)
    for column in ("prerequisite", "needed for", "found", "install with"):
        table.add_column(column)
    for check in checks:
        found = f"[green]{check.location}[/green]" if check.found else "[red]missing[/red]"
        table.add_row(
            check.prerequisite.name, check.prerequisite.purpose, found, "" if check.found else check.install_command
        )
    console.print(table)


def unsafe_banner(names: tuple[str, ...]) -> None:
    """Loud, and first: a stack with a safeguard off must never pass for a normal one."""
    for name in names:
        switch = SWITCHES[name]
        console.print(
            f"[bold white on red] UNSAFE [/bold white on red] [bold red]{name}[/bold red]: "
            f"{escape(switch.safeguard)} is off; {escape(switch.breaks)}."
        )
    if names:
        console.print("[red]A plain `ecomctl up` turns every safeguard back on.[/red]\n")


def switch_table(switches, on: tuple[str, ...]) -> None:
    table = Table(show_edge=False)
    for column in ("switch", "", "turns off", "then", "see it with"):
        table.add_column(column)
    for switch in switches:
        table.add_row(
            switch.name,
            "[bold red]on[/bold red]" if switch.name in on else "off",
            escape(switch.safeguard),
            escape(switch.breaks),
            f"ecomctl up --unsafe {switch.name} && ecomctl scenario run {switch.shown_by}",
        )
    console.print(table)
