"""Settings of the payments service: the shared chassis settings, its apps, its consumer,
and a second connection to its database for the simulated payment provider's ledger."""

from chassis.settings import common_settings, service_apps

_COMMON = common_settings(service="payments")
globals().update(_COMMON)

INSTALLED_APPS = service_apps("payments", "payments.provider")

# The provider stands in for an external gateway, so its ledger must not share our
# transaction: a charge it made stays made even when our handler rolls back, exactly
# like a real card charge. Same database, separate connection.
DATABASES = {
    **_COMMON["DATABASES"],
    "provider_ledger": {**_COMMON["DATABASES"]["default"], "TEST": {"MIRROR": "default"}},
}
DATABASE_ROUTERS = ["payments.provider.routers.LedgerRouter"]

# Each consumer's queue is named <service>.<consumer> (payments.order-created) by the chassis.
EVENT_CONSUMERS = {"order-created": "payments.handlers.HANDLERS"}
