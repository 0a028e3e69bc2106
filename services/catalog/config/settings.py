"""Settings of the catalog service: the shared chassis settings plus its own apps."""

from chassis.settings import common_settings, service_apps

globals().update(common_settings(service="catalog"))

INSTALLED_APPS = service_apps("products", messaging=False)
