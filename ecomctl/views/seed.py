"""`ecomctl seed` drawn: what was created, and the demo logins."""

from __future__ import annotations

from rich.table import Table

from ecomctl.views.output import console


def seed_report(report, admin: dict, customers: list[dict]) -> None:
    console.print(f"customers: {len(report.customers_created)} created, {len(report.customers_existing)} already there")
    console.print(f"products:  {len(report.products_created)} created, {len(report.products_existing)} already there")
    table = Table(title="demo logins", show_edge=False)
    table.add_column("role")
    table.add_column("email")
    table.add_column("password")
    table.add_row("admin", admin["email"], admin["password"])
    for customer in customers:
        table.add_row("customer", customer["email"], customer["password"])
    console.print(table)
