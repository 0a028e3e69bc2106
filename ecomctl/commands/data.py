"""`ecomctl seed`: the demo world, created through the public API."""

from __future__ import annotations

import typer

from ecomctl import demo_data, render
from ecomctl.client import ApiClient
from ecomctl.errors import friendly
from ecomctl.seeding import seed as seed_demo
from ecomctl.selection import current_runtime

app = typer.Typer()


@app.command()
@friendly
def seed(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Create demo customers, an admin and a catalog; running it again changes nothing."""
    runtime = current_runtime()
    # The first admin cannot come from the public API (nobody may make themselves admin):
    # like any operator, ecomctl creates it with auth's management command.
    admin = demo_data.ADMIN
    runtime.manage("auth", ["ensure_user", "--email", admin["email"], "--password", admin["password"],
                            "--name", admin["name"], "--admin"])
    report = seed_demo(ApiClient(runtime.gateway_url()))
    if as_json:
        render.print_json(report)
    else:
        render.seed_report(report, admin, demo_data.CUSTOMERS)
