"""`ecomctl bench`: orders through the real gateway from customers of the run's own, as fast
as they are answered (or at a set rate), and where the time went."""

from __future__ import annotations

import typer

from ecomctl.bench.customers import MAX_CUSTOMERS
from ecomctl.bench.run import BenchOptions, run_bench
from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.shop.api_client import gateway_url
from ecomctl.views import output
from ecomctl.views.bench import BenchBar, bench_summary

app = typer.Typer()
MAX_DURATION = 600  # seconds; the customers' access tokens last about 15 minutes


@app.command()
@friendly
def bench(
    ctx: typer.Context,
    customers: int = typer.Option(
        16,
        "--customers",
        "-c",
        min=1,
        max=MAX_CUSTOMERS,
        help="Customers placing orders side by side, one at a time each.",
    ),
    orders: int = typer.Option(None, "--orders", "-n", min=1, help="Stop after this many orders (default 1600)."),
    duration: float = typer.Option(
        None, "--duration", "-d", min=1, max=MAX_DURATION, help="Stop after this many seconds instead."
    ),
    rate: float = typer.Option(
        None, "--rate", min=0.1, help="Orders per second for the whole run (default: as fast as they are answered)."
    ),
    payment_method: str = typer.Option(
        "tok_visa", "--payment-method", help="tok_visa succeeds; tok_chargeDeclined, tok_insufficientFunds cancel."
    ),
    settle_timeout: float = typer.Option(
        60, "--settle-timeout", min=1, help="Seconds to wait for every order to be final after the load."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
):
    """Load the stack with orders and print throughput, latencies, errors, duplicate charges,
    lost orders and the CPU milliseconds per order of each component."""
    if orders is not None and duration is not None:
        raise typer.BadParameter("give --orders or --duration, not both", param_hint="--orders / --duration")
    options = BenchOptions(
        customers=customers,
        orders=orders if orders or duration else 1600,
        duration=duration,
        rate=rate,
        payment_method=payment_method,
        settle_timeout=settle_timeout,
    )
    runtime = current_runtime(ctx)
    with BenchBar(quiet=as_json) as progress:
        report = run_bench(runtime, gateway_url(), options, progress)
    if as_json:
        output.print_json({**output.plain(report), "sound": report.sound})
    else:
        bench_summary(report)
    if not report.orders_accepted:
        answers = ", ".join(f"{status} ×{count}" for status, count in report.errors_by_status.items())
        output.error(f"No order was accepted ({answers}). Check --payment-method, `ecomctl seed` and `ecomctl status`.")
    if not report.sound or not report.orders_accepted:
        raise typer.Exit(1)
