"""Turns the errors a user can fix into one clear sentence and exit code 1, never a
traceback. Any exception type with a user-facing message is listed here."""

from __future__ import annotations

import functools

import typer

from ecomctl.broker.connection import BrokerUnreachable
from ecomctl.broker.dead_letters import DeadLetterProblem
from ecomctl.description.stack_file import StackFileError
from ecomctl.scenarios.script import ScenarioProblem
from ecomctl.shop.api_client import ApiError
from ecomctl.views import output

USER_ERRORS: tuple[type[Exception], ...] = (
    ApiError,
    BrokerUnreachable,
    DeadLetterProblem,
    ScenarioProblem,
    StackFileError,
)


def register(*error_types: type[Exception]) -> None:
    """Runtimes add their own user-facing error types."""
    global USER_ERRORS
    USER_ERRORS = USER_ERRORS + error_types


def friendly(command):
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except USER_ERRORS as error:
            output.error(str(error))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    return wrapper
