"""`ecomctl trace ORDER_ID`: one order's story across the services, after the fact."""

from __future__ import annotations

import typer

from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.observability.order_trace import order_trace
from ecomctl.shop.api_client import ApiClient, gateway_url
from ecomctl.shop.logins import admin_login
from ecomctl.shop.orders import resolve_order_id
from ecomctl.views import output
from ecomctl.views.trace import trace_mermaid, trace_table

app = typer.Typer()


@app.command()
@friendly
def trace(
    ctx: typer.Context,
    order_id: str = typer.Argument(..., help="The order's id (`ecomctl order list`), or `last` for the newest."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    mermaid: bool = typer.Option(False, "--mermaid", help="Print a Mermaid sequence diagram."),
):
    """The order's whole story in time order: the request, each event published and handled
    and by whom, each status change, the charge and the notification."""
    admin = admin_login(ApiClient(gateway_url()))
    found = order_trace(current_runtime(ctx), admin, resolve_order_id(admin, order_id))
    if as_json:
        output.print_json(found)
    elif mermaid:
        print(trace_mermaid(found), end="")
    else:
        trace_table(found)
