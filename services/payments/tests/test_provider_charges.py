"""GET /payments/provider/charges/: the provider's ledger, for operators and verdicts."""

import pytest
from django.db import transaction

from payments.handlers import HANDLERS
from tests.conftest import DATABASES, order_created

pytestmark = pytest.mark.django_db(databases=DATABASES)

URL = "/payments/provider/charges/"


def charge(**fields):
    event = order_created(**fields)
    with transaction.atomic():
        HANDLERS["order.created"](event)
    return event.data["order_id"]


def test_admins_read_the_ledger_and_can_ask_for_one_order(api, admin):
    first = charge()
    charge(payment_method="tok_chargeDeclined")

    everything = api.as_(admin).get(URL).json()
    one = api.as_(admin).get(URL, {"reference": first}).json()

    assert everything["count"] == 2
    assert {entry["outcome"] for entry in everything["results"]} == {"succeeded", "declined"}
    assert [entry["reference"] for entry in one["results"]] == [first]
    assert one["results"][0]["charge_id"].startswith("ch_")


def test_customers_are_forbidden_and_anonymous_callers_unauthenticated(api, customer):
    assert api.as_(customer).get(URL).status_code == 403
    assert api.as_(None).get(URL).status_code == 401
