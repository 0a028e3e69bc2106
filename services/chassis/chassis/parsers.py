"""The JSON parser every service uses: DRF's, plus the checks a body must pass before any
of it reaches a query or a hash. JSON nested deeper than Python can walk, text with NUL
characters (PostgreSQL text cannot hold them) and lone surrogates (not encodable text)
are refused with 400, naming where in the body they are."""

from __future__ import annotations

from rest_framework import exceptions, parsers

MAX_DEPTH = 64  # far beyond any real request of these APIs, far below Python's recursion limit


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON is nested too deeply.") from None
        problem = unreadable(data)
        if problem:
            where, what = problem
            raise exceptions.ValidationError({where: [what]})
        return data


def unreadable(value, where: str = "body", depth: int = 0) -> tuple[str, str] | None:
    """(where, what is wrong) for the first value no service should have to handle."""
    if depth > MAX_DEPTH:
        return where, f"Nested more than {MAX_DEPTH} levels deep."
    if isinstance(value, str):
        return text_problem(where, value)
    if isinstance(value, dict):
        for key, item in value.items():
            problem = text_problem("body", key) or unreadable(
                item, key if where == "body" else f"{where}.{key}", depth + 1
            )
            if problem:
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problem = unreadable(item, f"{where}[{index}]", depth + 1)
            if problem:
                return problem
    return None


def text_problem(where: str, text: str) -> tuple[str, str] | None:
    if "\x00" in text:
        return where, "May not contain NUL characters."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return where, "Is not valid Unicode text (a lone surrogate)."
    return None
