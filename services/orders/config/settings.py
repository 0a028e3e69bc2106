"""Settings of the orders service: the shared chassis settings, its apps, the catalog it
prices orders with, and the payment results it consumes."""

from chassis.settings import common_settings, env, env_float, service_apps

globals().update(common_settings(service="orders"))

INSTALLED_APPS = service_apps("orders")

CATALOG_URL = env("CATALOG_URL", "http://127.0.0.1:8002")
CATALOG_CONNECT_TIMEOUT = env_float("CATALOG_CONNECT_TIMEOUT", 0.5)
CATALOG_READ_TIMEOUT = env_float("CATALOG_READ_TIMEOUT", 2.0)

# Each consumer's queue is named <service>.<consumer> (orders.payment-results) by the chassis.
EVENT_CONSUMERS = {"payment-results": "orders.handlers.HANDLERS"}
