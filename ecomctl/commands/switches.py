"""`ecomctl switches`: the teaching switches, what each turns off and breaks, and which are
on for this stack (set with `ecomctl up --unsafe SWITCH`)."""

from __future__ import annotations

import dataclasses

import typer

from ecomctl.description.switches import SWITCHES
from ecomctl.runtime.state import StateDirectory
from ecomctl.views import output
from ecomctl.views.stack import switch_table

app = typer.Typer()


@app.command("switches")
def list_switches(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """The teaching switches: each turns one safeguard off; `up --unsafe SWITCH` sets them."""
    on = StateDirectory.from_environment().unsafe_switches()
    if as_json:
        output.print_json([{**dataclasses.asdict(switch), "on": switch.name in on} for switch in SWITCHES.values()])
    else:
        switch_table(SWITCHES.values(), on)
