"""The chassis as a Django app, so it can hook into start-up."""

from django.apps import AppConfig


class ChassisConfig(AppConfig):
    name = "chassis"
    verbose_name = "ecomlab microservice chassis"

    def ready(self) -> None:
        # Registers the OpenAPI description of bearer-token authentication.
        from chassis import (
            schema,  # noqa: F401
            switches,
        )

        switches.announce()
