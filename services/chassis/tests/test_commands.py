"""Command-line mistakes get one clear sentence, not a traceback."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings


def test_unknown_consumer_names_the_configured_ones():
    with pytest.raises(CommandError, match=r"No consumer named 'nope' in EVENT_CONSUMERS \(configured: receipts\)"):
        call_command("consume", "nope")


@override_settings(EVENT_CONSUMERS={"bad": "tests.testapp.handlers.MISSING"})
def test_unimportable_handlers_are_explained():
    with pytest.raises(CommandError, match="Cannot import the handlers of consumer 'bad'"):
        call_command("consume", "bad")


@override_settings(EVENT_CONSUMERS={"bad": "tests.test_commands.UNKNOWN_TYPE_HANDLERS"})
def test_handlers_for_event_types_without_a_contract_are_refused():
    with pytest.raises(CommandError, match="handles 'order.shipped', which has no contract"):
        call_command("consume", "bad")


def test_relay_refuses_a_nonsense_batch_size():
    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        call_command("relay_outbox", "--batch-size", "0")


UNKNOWN_TYPE_HANDLERS = {"order.shipped": print}
