"""`ecomctl trace ORDER_ID`: one order's story across the services, after the fact."""

from __future__ import annotations

import typer

from ecomctl import demo_data
from ecomctl.client import ApiClient, gateway_url
from ecomctl.errors import friendly
from ecomctl.selection import current_runtime
from ecomctl.tracing import order_trace
from ecomctl.views import output
from ecomctl.views.trace import trace_mermaid, trace_table

app = typer.Typer()


@app.command()
@friendly
def trace(
    ctx: typer.Context,
    order_id: str = typer.Argument(..., help="The order's id (`ecomctl order list`)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    mermaid: bool = typer.Option(False, "--mermaid", help="Print a Mermaid sequence diagram."),
):
    """The order's whole story in time order: the request, each event published and handled
    and by whom, each status change, the charge and the notification."""
    admin = ApiClient(gateway_url()).login(demo_data.ADMIN["email"], demo_data.ADMIN["password"])
    found = order_trace(current_runtime(ctx), admin, order_id)
    if as_json:
        output.print_json(found)
    elif mermaid:
        print(trace_mermaid(found), end="")
    else:
        trace_table(found)
