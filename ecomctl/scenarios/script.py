"""What a scenario plays with: while it plays, a ScenarioRun narrates each step (what we
do, what we expect, what happened), checks what the scenario claims, and remembers how to
mend what it broke."""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from ecomctl.broker.connection import BrokerUnreachable
from ecomctl.runtime.base import Runtime
from ecomctl.runtime.errors import RuntimeProblem
from ecomctl.shop.api_client import ApiClient, ApiError

# What a step may meet that says the system did not behave, in one sentence.
STEP_FAILURES = (ApiError, BrokerUnreachable, RuntimeProblem)


class ScenarioProblem(Exception):
    """A scenario cannot be run as asked; str() says why and what to do."""


class ScenarioFailed(Exception):
    """The system did not behave as the scenario claims; str() says what happened instead."""


@dataclass
class Step:
    action: str  # what we do
    expect: str  # what we expect
    outcome: str = "running"  # then passed, failed or interrupted
    happened: str = ""
    seconds: float = 0.0
    restore: bool = False  # a step of the clean-up after the story
    events: list[dict] = field(default_factory=list)

    def saw(self, happened: str) -> None:
        """Add to what the step saw happen."""
        self.happened = f"{self.happened}; {happened}" if self.happened else happened


class Narrator(Protocol):
    def step_started(self, step: Step) -> None: ...
    def step_finished(self, step: Step) -> None: ...


class Silent:
    """For --json: the result is printed once, at the end."""

    def step_started(self, step: Step) -> None:
        pass

    def step_finished(self, step: Step) -> None:
        pass


@dataclass
class ScenarioRun:
    """Everything a scenario plays with, and what it did so far."""

    runtime: Runtime
    customer: ApiClient
    admin: Callable[[], ApiClient]  # logs in on first use: most scenarios need no admin
    product_ids: list[int]
    broker_url: str
    exchange: str
    narrator: Narrator = field(default_factory=Silent)
    steps: list[Step] = field(default_factory=list)
    _mends: dict[str, Callable[[], object]] = field(default_factory=dict)  # what a mend returns is unused

    @contextlib.contextmanager
    def step(self, action: str, *, expect: str, restore: bool = False) -> Iterator[Step]:
        """Narrate one step; a failed check or an error the system gave ends it as failed."""
        step = Step(action, expect, restore=restore)
        self.steps.append(step)
        self.narrator.step_started(step)
        started = time.monotonic()
        try:
            yield step
            step.outcome = "passed"
        except (ScenarioFailed, *STEP_FAILURES) as problem:
            step.outcome, step.happened = "failed", str(problem)
            raise ScenarioFailed(str(problem)) from None
        except KeyboardInterrupt:
            step.outcome, step.happened = "interrupted", "interrupted (Ctrl-C)"
            raise
        finally:
            step.seconds = round(time.monotonic() - started, 3)
            self.narrator.step_finished(step)

    def check(self, holds: bool, failure: str) -> None:
        """Claim something; `failure` is the sentence shown when it is not so."""
        if not holds:
            raise ScenarioFailed(failure)

    def eventually(self, condition: Callable[[], object], timeout: float, what: str, interval: float = 0.25):
        """condition()'s first truthy answer, polled until timeout; `what` names what is
        awaited ("payments to get its consumer back") for the sentence shown when in vain."""
        deadline = time.monotonic() + timeout
        while True:
            answer = condition()
            if answer:
                return answer
            if time.monotonic() >= deadline:
                raise ScenarioFailed(f"Waited {timeout:g} s for {what}; it did not happen.")
            time.sleep(interval)

    def breaks(self, mend_action: str, mend: Callable[[], object]) -> None:
        """Register how to undo what the next action breaks, before breaking it."""
        self._mends[mend_action] = mend

    def has_mend(self, mend_action: str) -> bool:
        return mend_action in self._mends

    def mend(self, mend_action: str) -> None:
        """Undo it now, as part of the story; the clean-up then has nothing left to do."""
        self._mends[mend_action]()
        del self._mends[mend_action]  # only once it worked: otherwise the clean-up tries again

    def mend_everything(self) -> list[str]:
        """Undo whatever is still broken, newest first, each as a narrated step. Ctrl-C
        waits until this is done: leaving the stack broken would be worse than waiting."""
        problems = []
        with _interrupts_deferred():
            for action, mend in reversed(list(self._mends.items())):
                try:
                    with self.step(action, expect="the stack as it was before", restore=True) as step:
                        mend()
                        step.saw("done")
                except ScenarioFailed as problem:
                    problems.append(f"Could not {action}: {problem} Run `ecomctl up` to start what is stopped.")
            self._mends.clear()
        return problems


@dataclass(frozen=True)
class Invariant:
    """One promise of the system, checked over what a run recorded."""

    name: str
    held: bool
    count: int  # how many things it was checked on (orders, queues, ...)
    detail: str


@dataclass
class Result:
    scenario: str
    summary: str
    passed: bool
    seconds: float
    failure: str | None
    steps: list[Step]
    invariants: list[Invariant] = field(default_factory=list)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold SIGINT back while the block runs, then deliver it."""
    received = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: received.append(True))
    except ValueError:  # not the main thread: signals cannot be handled here anyway
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt
