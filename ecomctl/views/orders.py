"""`ecomctl order` drawn: one order with its items and status history, or a list."""

from __future__ import annotations

from rich.table import Table

from ecomctl.views.output import console, styled


def order_detail(order: dict) -> None:
    table = Table(title=f"order {order['id']}", show_edge=False)
    for column in ("product", "quantity", "unit price", "line total"):
        table.add_column(column)
    for item in order.get("items", []):
        table.add_row(
            item.get("name", str(item["product_id"])),
            str(item["quantity"]),
            item["unit_price"],
            item.get("line_total", ""),
        )
    console.print(table)
    console.print(f"total {order['total']} {order['currency']}   status {styled(order['status'])}")
    for change in order.get("status_history", []):
        reason = f" ({change['reason']})" if change.get("reason") else ""
        console.print(f"  {change['changed_at']}  {styled(change['status'])}{reason}")


def order_list(orders: list[dict]) -> None:
    table = Table(show_edge=False)
    for column in ("id", "status", "total", "created"):
        table.add_column(column)
    for item in orders:
        table.add_row(item["id"], styled(item["status"]), f"{item['total']} {item['currency']}", item["created_at"])
    console.print(table)
