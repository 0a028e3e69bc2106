"""GET /notifications/ and /notifications/{id}/: customers see their own, admins all."""

import uuid
from decimal import Decimal

import pytest

from notifications.services import notification_send_for_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def notify(mail_dir):
    def send(caller, kind: str = "order_confirmed"):
        return notification_send_for_order(
            order_id=uuid.uuid4(),
            kind=kind,
            customer_id=caller.id,
            email=caller.email,
            total=Decimal("5.00"),
            currency="EUR",
            reason=None if kind == "order_confirmed" else "out of stock",
        )

    return send


def test_customers_list_only_their_own_notifications_paginated(api, customer, other_customer, notify):
    mine = [notify(customer), notify(customer, "order_cancelled"), notify(customer)]
    notify(other_customer)

    body = api.as_(customer).get("/notifications/?limit=2").json()

    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    listed = {item["id"] for item in body["results"] + api.get(body["next"]).json()["results"]}
    assert listed == {str(notification.id) for notification in mine}


def test_admins_list_every_notification(api, admin, customer, other_customer, notify):
    notify(customer)
    notify(other_customer)

    assert api.as_(admin).get("/notifications/").json()["count"] == 2


def test_a_customer_reads_an_own_notification(api, customer, notify):
    notification = notify(customer, "order_cancelled")

    body = api.as_(customer).get(f"/notifications/{notification.id}/").json()

    assert (body["kind"], body["channel"], body["status"]) == ("order_cancelled", "email", "SENT")
    assert "Reason: out of stock." in body["body"]


def test_another_customers_notification_is_not_found(api, customer, other_customer, admin, notify):
    notification = notify(other_customer)

    response = api.as_(customer).get(f"/notifications/{notification.id}/")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert api.as_(admin).get(f"/notifications/{notification.id}/").status_code == 200


@pytest.mark.parametrize("notification_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_unknown_notifications_are_404_json(api, customer, notification_id):
    response = api.as_(customer).get(f"/notifications/{notification_id}/")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_listing_needs_a_token(api):
    assert api.as_(None).get("/notifications/").status_code == 401
