"""`ecomctl order place|show|list`: a small client for humans, logged in as a demo customer."""

from __future__ import annotations

import typer

from ecomctl.cli.user_errors import friendly
from ecomctl.shop.api_client import ApiClient, gateway_url
from ecomctl.shop.logins import customer_login
from ecomctl.shop.orders import FINAL_STATES, order_place, order_wait, resolve_order_id, resolve_products
from ecomctl.views import output
from ecomctl.views.orders import order_detail, order_list

app = typer.Typer(help="Place and look at orders as a demo customer.", no_args_is_help=True)

AS_OPTION = typer.Option("alice", "--as", help="Demo customer: alice or bob.")
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of tables.")


@app.command("place")
@friendly
def place(
    product: list[str] = typer.Option(["MUG-BLUE"], "--product", "-p", help="SKU or id; repeat for more items."),
    quantity: int = typer.Option(1, "--quantity", "-q", min=1, max=1000, help="Quantity of each product."),
    payment_method: str = typer.Option(
        "tok_visa", "--payment-method", help="tok_visa, tok_chargeDeclined or tok_insufficientFunds."
    ),
    wait: bool = typer.Option(False, "--wait", help="Follow the order until it is CONFIRMED or CANCELLED."),
    timeout: float = typer.Option(30.0, "--timeout", min=1, help="Seconds to wait with --wait."),
    who: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
):
    """Place an order; with --wait, follow it to its final state."""
    api = customer_login(ApiClient(gateway_url()), who)
    placed = order_place(
        api, product_ids=resolve_products(api, product), quantity=quantity, payment_method=payment_method
    )
    if not as_json:
        output.console.print(f"placed order {placed['id']}: {output.styled(placed['status'])}")
    final = order_wait(api, placed["id"], timeout=timeout) if wait else placed
    if as_json:
        output.print_json(final)
    else:
        order_detail(final)
    if wait and final["status"] not in FINAL_STATES:
        output.error(f"order {final['id']} is still {final['status']} after {timeout:.0f} s.")
        raise typer.Exit(1)


@app.command("show")
@friendly
def show(
    order_id: str = typer.Argument(..., help="The order's id, or `last` for the customer's newest."),
    who: str = AS_OPTION,
    as_json: bool = JSON_OPTION,
):
    """Show one order with its status history."""
    api = customer_login(ApiClient(gateway_url()), who)
    order = api.request("GET", f"/orders/{resolve_order_id(api, order_id)}/")
    output.print_json(order) if as_json else order_detail(order)


@app.command("list")
@friendly
def list_(who: str = AS_OPTION, limit: int = typer.Option(20, min=1, max=100), as_json: bool = JSON_OPTION):
    """List the customer's orders, newest first."""
    page = customer_login(ApiClient(gateway_url()), who).request("GET", "/orders/", params={"limit": limit})
    output.print_json(page["results"]) if as_json else order_list(page["results"])
