"""Settings helpers: typed environment values with errors that say what to set."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from chassis.settings import database_from_url, env, env_bool, env_int, service_apps


def test_database_url_becomes_a_django_database():
    database = database_from_url("postgres://orders:s%40cret@db.internal:5433/ecomlab_orders?sslmode=disable")

    assert database["NAME"] == "ecomlab_orders"
    assert (database["USER"], database["PASSWORD"]) == ("orders", "s@cret")
    assert (database["HOST"], database["PORT"]) == ("db.internal", "5433")
    assert database["OPTIONS"] == {"sslmode": "disable"}
    assert database["TEST"]["NAME"] == "test_ecomlab_orders"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host/", "nonsense"])
def test_bad_database_urls_are_explained(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)


def test_missing_required_variable_names_it(monkeypatch):
    monkeypatch.delenv("ECOMLAB_TEST_VALUE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="ECOMLAB_TEST_VALUE"):
        env("ECOMLAB_TEST_VALUE")


def test_typed_values_refuse_nonsense(monkeypatch):
    monkeypatch.setenv("ECOMLAB_TEST_VALUE", "maybe")
    with pytest.raises(ImproperlyConfigured, match="true or false"):
        env_bool("ECOMLAB_TEST_VALUE")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("ECOMLAB_TEST_VALUE", 1)
    monkeypatch.setenv("ECOMLAB_TEST_VALUE", "off")
    assert env_bool("ECOMLAB_TEST_VALUE", True) is False


def test_service_apps_put_the_chassis_first_and_messaging_only_where_asked():
    chassis_apps = ["django.contrib.contenttypes", "rest_framework", "chassis", "drf_spectacular"]

    assert service_apps("payments", "payments.provider") == [
        *chassis_apps,
        "chassis.messaging",
        "payments",
        "payments.provider",
    ]
    assert service_apps("products", messaging=False) == [*chassis_apps, "products"]
