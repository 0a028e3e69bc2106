"""Settings of the catalog service: the shared chassis settings plus its own apps."""

from pathlib import Path

from chassis.settings import common_settings

BASE_DIR = Path(__file__).resolve().parent.parent

globals().update(common_settings(service="catalog", base_dir=BASE_DIR, default_port=8002))

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "rest_framework",
    "chassis",
    "drf_spectacular",
    "products",
]
