"""The interface every runtime (local processes, Docker) implements; it returns plain
data and never prints, so the CLI decides how to show it."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ecomctl.runtime.components import ComponentKind


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    kind: ComponentKind
    state: str  # running, paused, starting, stopped, exited, failed or down
    healthy: bool
    address: str | None  # host:port it listens on, for what listens
    restarts: int  # times it was started again since `up`
    pid: int | None


@dataclass(frozen=True)
class ProgressEvent:
    component: str
    step: str  # preparing, migrating, starting, waiting, ready, stopping, stopped
    detail: str = ""


Progress = Callable[[ProgressEvent], None]


def no_progress(event: ProgressEvent) -> None:
    """A progress callback for callers that do not show progress."""


class Runtime(abc.ABC):
    name: str

    @abc.abstractmethod
    def up(self, progress: Progress = no_progress) -> None:
        """Start everything not yet running, in dependency order, and wait for health."""

    @abc.abstractmethod
    def down(self, volumes: bool = False, progress: Progress = no_progress) -> None:
        """Stop everything this runtime started; with volumes also delete all data."""

    @abc.abstractmethod
    def status(self) -> list[ComponentStatus]:
        """Every component, in start order; state "down" when the stack is not up."""

    @abc.abstractmethod
    def logs(self, component: str | None = None, follow: bool = False, grep: str | None = None) -> Iterator[tuple[str, str]]:
        """(component, line) pairs, optionally only lines containing `grep`."""

    @abc.abstractmethod
    def gateway_url(self) -> str:
        """Where clients reach the stack."""

    @abc.abstractmethod
    def broker_url(self) -> str:
        """An AMQP URL ecomctl itself can use to read queues and tap events."""

    @abc.abstractmethod
    def component_names(self) -> list[str]:
        """Every valid component name, in start order."""

    @abc.abstractmethod
    def kill(self, component: str) -> None:
        """SIGKILL the component (or every process of a service); it stays down until started."""

    @abc.abstractmethod
    def stop(self, component: str) -> None:
        """Stop the component gracefully."""

    @abc.abstractmethod
    def start(self, component: str, wait: bool = True) -> None:
        """Start a stopped or killed component, waiting for it to be healthy."""

    @abc.abstractmethod
    def restart(self, component: str) -> None:
        """Stop, then start the component."""

    @abc.abstractmethod
    def pause(self, component: str) -> None:
        """Freeze the component (SIGSTOP): it holds its connections but answers nothing."""

    @abc.abstractmethod
    def unpause(self, component: str) -> None:
        """Let a paused component run again."""

    @abc.abstractmethod
    def manage(self, service: str, arguments: list[str]) -> str:
        """Run one of the service's management commands (an operator's task, such as
        creating the first admin) in the service's own environment; returns its output."""
