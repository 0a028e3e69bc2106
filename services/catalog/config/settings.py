"""Settings of the catalog service: the shared chassis settings plus its own apps."""

from chassis.settings import common_settings

globals().update(common_settings(service="catalog"))

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "rest_framework",
    "chassis",
    "drf_spectacular",
    "products",
]
