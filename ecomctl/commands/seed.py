"""`ecomctl seed`: the demo world, created through the public API."""

from __future__ import annotations

import typer

from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.shop import demo_data
from ecomctl.shop.seeding import seed_stack
from ecomctl.views import output
from ecomctl.views.seed import seed_report

app = typer.Typer()


@app.command()
@friendly
def seed(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Create demo customers, an admin and a catalog; running it again changes nothing."""
    report = seed_stack(current_runtime(ctx))
    if as_json:
        output.print_json(report)
    else:
        seed_report(report, demo_data.ADMIN, demo_data.CUSTOMERS)
