"""Every contract accepts its valid events and rejects broken ones with a clear message."""

import copy
import json
import shutil

import pytest
from django.core.exceptions import ImproperlyConfigured

from chassis.messaging.contracts import ENVELOPE_FILE, InvalidEvent, contracts_dir, known_event_types, validate_envelope
from tests.support.events import VALID_DATA, envelope

ALL_TYPES = sorted(VALID_DATA)

BROKEN_DATA = [
    ("order.created", lambda d: d["items"][0].update(quantity=0), "items/0/quantity"),
    ("order.created", lambda d: d.update(items=[]), "items"),
    ("order.created", lambda d: d["items"][0].update(product_id="7"), "items/0/product_id"),
    ("order.created", lambda d: d.update(total=19.98), "total"),
    ("order.created", lambda d: d["customer"].update(email="not-an-email"), "customer/email"),
    ("payment.succeeded", lambda d: d.update(currency="eur"), "currency"),
    ("payment.succeeded", lambda d: d.update(payment_id="123"), "payment_id"),
    ("payment.failed", lambda d: d.update(reason="bad luck"), "reason"),
    ("order.confirmed", lambda d: d.update(reason="why?"), "reason"),
    ("order.cancelled", lambda d: d.update(reason=None), "reason"),
    ("notification.sent", lambda d: d.update(channel="sms"), "channel"),
    ("notification.sent", lambda d: d.update(kind="order_shipped"), "kind"),
    ("notification.sent", lambda d: d.pop("customer_id"), "data"),
    ("payment.failed", lambda d: d.update(extra="field"), "data"),
]


def test_every_event_type_has_a_contract():
    assert known_event_types() >= set(ALL_TYPES)


def test_the_envelope_is_written_once_and_is_no_event_type():
    events = contracts_dir() / "events"
    contracts = [path for path in events.glob("*.json") if path.name != ENVELOPE_FILE]

    assert "envelope" not in known_event_types()
    for path in contracts:
        schema = json.loads(path.read_text())
        assert schema["$ref"] == ENVELOPE_FILE, path.name
        assert set(schema["properties"]) == {"type", "version", "data"}, path.name


@pytest.mark.parametrize("event_type", ALL_TYPES)
def test_valid_event_passes(event_type):
    event = envelope(event_type)
    assert validate_envelope(event.to_dict()) == event


@pytest.mark.parametrize(("event_type", "breakage", "field"), BROKEN_DATA)
def test_broken_data_is_rejected_naming_the_field(event_type, breakage, field):
    payload = envelope(event_type).to_dict()
    breakage(payload["data"])
    with pytest.raises(InvalidEvent, match=f"at data{'/' + field if field != 'data' else ''}"):
        validate_envelope(payload)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.update(id="not-a-uuid"), "at id"),
        (lambda p: p.update(occurred_at="2024-01-01 10:00"), "at occurred_at"),
        (lambda p: p.update(causation_id="x"), "at causation_id"),
        (lambda p: p.pop("producer"), "producer"),
        (lambda p: p.update(version=2), "No contract for event type 'order.created' version 2"),
        (lambda p: p.update(type="order.shipped"), "No contract for event type 'order.shipped'"),
        (lambda p: p.update(version="1"), "integer 'version'"),
    ],
)
def test_broken_envelope_is_rejected(change, message):
    payload = copy.deepcopy(envelope().to_dict())
    change(payload)
    with pytest.raises(InvalidEvent, match=message):
        validate_envelope(payload)


def test_contracts_are_read_from_the_directory_the_setting_names(settings, tmp_path):
    shutil.copytree(contracts_dir(), tmp_path / "contracts")
    (tmp_path / "contracts" / "events" / "order.created.v1.json").unlink()
    settings.EVENT_CONTRACTS_DIR = str(tmp_path / "contracts")

    assert "order.created" not in known_event_types()
    assert validate_envelope(envelope("payment.succeeded").to_dict()).type == "payment.succeeded"


def test_without_the_setting_the_error_says_what_to_set(settings):
    del settings.EVENT_CONTRACTS_DIR
    with pytest.raises(ImproperlyConfigured, match="Set EVENT_CONTRACTS_DIR"):
        known_event_types()


def test_non_object_is_rejected():
    with pytest.raises(InvalidEvent, match="JSON object"):
        validate_envelope(["order.created"])
