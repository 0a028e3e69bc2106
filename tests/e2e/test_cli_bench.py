"""`ecomctl bench` against a real stack, as a user runs it: a short run's figures are all
there and nothing is lost or charged twice. Speed is the benchmark's to print, not a test's
to assert on a shared machine."""

from __future__ import annotations

import json

import pytest

from support.cli import started_cli


@pytest.fixture(scope="module")
def ecomctl():
    with started_cli("ecomlab-bench-", seed=True) as cli:
        yield cli


def test_a_short_run_reports_every_figure_and_loses_nothing(ecomctl):
    report = json.loads(ecomctl("bench", "--customers", "4", "--orders", "40", "--json").stdout)

    assert report["sound"] is True
    assert report["orders_tried"] == report["orders_accepted"] == report["orders_confirmed"] == 40
    assert report["duplicate_charges"] == 0 and report["orders_never_final"] == 0
    assert "own loopback address (127.0.1.1 to 127.0.1.4)" in report["client_addresses"]
    assert report["accepted_per_second"] > 0 and report["final_per_second"] > 0
    assert 0 < report["post_ms"]["p50"] <= report["post_ms"]["p90"] <= report["post_ms"]["p99"]
    assert 0 < report["final_ms"]["p50"] <= report["final_ms"]["p99"]
    cpu = report["cpu_ms_per_order"]
    for component in ("orders-web", "payments-order-created", "orders-relay", "supervisord", "load generator"):
        assert cpu[component] > 0, component


def test_declined_payments_are_cancelled_and_still_counted_as_final(ecomctl):
    report = json.loads(
        ecomctl("bench", "--customers", "2", "--orders", "6", "--payment-method", "tok_chargeDeclined", "--json").stdout
    )

    assert report["orders_cancelled"] == 6 and report["orders_never_final"] == 0
    assert report["duplicate_charges"] == 0


def test_the_table_names_each_figure(ecomctl):
    shown = ecomctl("bench", "--customers", "2", "--duration", "2").stdout

    for line in (
        "orders/s end to end",
        "POST /orders/",
        "created to final",
        "duplicate charges",
        "orders never final",
        "CPU per order accepted",
        "load generator",
    ):
        assert line in shown


@pytest.mark.parametrize(
    "arguments, complaint",
    [
        (("--orders", "10", "--duration", "5"), "give --orders or --duration, not both"),
        (("--customers", "0"), "--customers"),
        (("--customers", "251"), "--customers"),
        (("--duration", "601"), "--duration"),
    ],
)
def test_bad_options_are_refused_with_a_message(ecomctl, arguments, complaint):
    result = ecomctl("bench", *arguments, check=False)

    assert result.returncode == 2
    assert complaint in result.stderr and "Traceback" not in result.stderr


def test_a_payment_method_the_orders_service_refuses_is_explained(ecomctl):
    result = ecomctl("bench", "--customers", "1", "--orders", "2", "--payment-method", "not a token", check=False)

    assert result.returncode == 1
    assert "No order was accepted (400 ×2)" in result.stderr and "Traceback" not in result.stderr
