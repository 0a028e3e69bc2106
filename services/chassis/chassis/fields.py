"""Serializer fields that take JSON types at their word: DRF's own turn "3", 3.0 or true
into numbers and 12 into text, so a request the OpenAPI schema calls invalid would be
accepted. These refuse it, and the schema stays the truth about what a service takes."""

from __future__ import annotations

from rest_framework import serializers


def _is_number(data) -> bool:
    return isinstance(data, (int, float)) and not isinstance(data, bool)


class WholeNumberField(serializers.IntegerField):
    """An integer given as a JSON number: "3", 3.0 and true are refused, not coerced."""

    default_error_messages = {"invalid": "A whole number is required."}

    def to_internal_value(self, data):
        if not _is_number(data) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class NumberField(serializers.FloatField):
    """A JSON number, whole or not: "0.5" and false are refused, not coerced."""

    default_error_messages = {"invalid": "A number is required."}

    def to_internal_value(self, data):
        if not _is_number(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class StringRegexField(serializers.RegexField):
    """A RegexField that refuses numbers and booleans instead of turning them into text."""

    default_error_messages = {"not_a_string": "A string is required."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)
