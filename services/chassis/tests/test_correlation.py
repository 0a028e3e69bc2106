"""Correlation ids: accepted from clients only when safe, always present in a scope."""

import logging

from chassis.correlation import CorrelationIdFilter, correlation_scope, get_correlation_id
from chassis.logging import JsonFormatter


def test_a_safe_client_id_is_kept():
    with correlation_scope("abc-12345678") as correlation_id:
        assert correlation_id == get_correlation_id() == "abc-12345678"
    assert get_correlation_id() is None


def test_an_unsafe_or_missing_id_is_replaced():
    for unsafe in (None, "", "short", "evil\nline-injected", "x" * 500):
        with correlation_scope(unsafe) as correlation_id:
            assert correlation_id != unsafe
            assert len(correlation_id) == 32


def test_log_lines_are_json_with_service_and_correlation_id():
    import json

    record = logging.makeLogRecord({"msg": "paid %s", "args": ("order-1",), "levelname": "INFO", "order_id": "o-1"})
    with correlation_scope("flow-12345678"):
        CorrelationIdFilter().filter(record)
    line = json.loads(JsonFormatter(service="payments").format(record))

    assert line["message"] == "paid order-1"
    assert line["service"] == "payments"
    assert line["correlation_id"] == "flow-12345678"
    assert line["order_id"] == "o-1"
