"""App config of the orders domain app."""

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
