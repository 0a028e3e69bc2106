"""The interface every runtime (local processes, Docker) implements; it returns plain
data and never prints, so the CLI decides how to show it.

A runtime knows how to start, stop and inspect one component (the primitives at the end
of Runtime); bringing the whole stack up is the shared plan in plan.py."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ecomctl.description.stack_file import Service, Stack
from ecomctl.runtime import plan
from ecomctl.runtime.components import Component, ComponentKind, addressable_names, find_components
from ecomctl.runtime.readiness import ReadinessCheck
from ecomctl.runtime.state import StateDirectory


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
    stack: Stack  # with the teaching switches the state directory remembers
    state: StateDirectory
    components: list[Component]  # every component this runtime runs, in start order

    def switch_unsafe(self, names: tuple[str, ...]) -> None:
        """Run with these teaching switches on (none: every safeguard on), remembered for
        every later command; the next `up` restarts what they change."""
        self.state.remember_unsafe_switches(names)
        self.stack = self.stack.switched(names)

    def up(self, progress: Progress = no_progress) -> None:
        """Start everything not yet running, in dependency order, and wait for health."""
        plan.bring_up(self, progress)

    def start(self, component: str, wait: bool = True) -> None:
        """Start a stopped or killed component, waiting for it to be healthy."""
        for target in self.targets(component):
            plan.start_and_wait(self, target, no_progress, wait=wait)

    def restart(self, component: str) -> None:
        """Stop, then start the component."""
        self.stop(component)
        self.start(component)

    def component_names(self) -> list[str]:
        """Every valid component name, in start order."""
        return addressable_names(self.components)

    def of_kind(self, kind: ComponentKind) -> list[Component]:
        return [component for component in self.components if component.kind is kind]

    def targets(self, name: str) -> list[Component]:
        """The components a name stands for, on a running stack."""
        components = find_components(self.components, name)
        if not self.stack_is_running():
            from ecomctl.runtime.errors import StackNotRunning

            raise StackNotRunning()
        return components

    @abc.abstractmethod
    def down(self, volumes: bool = False, progress: Progress = no_progress) -> None:
        """Stop everything this runtime started; with volumes also delete all data."""

    @abc.abstractmethod
    def status(self) -> list[ComponentStatus]:
        """Every component, in start order; state "down" when the stack is not up."""

    @abc.abstractmethod
    def logs(
        self, component: str | None = None, follow: bool = False, grep: str | None = None
    ) -> Iterator[tuple[str, str]]:
        """(component, line) pairs, optionally only lines containing `grep`."""

    @abc.abstractmethod
    def gateway_url(self) -> str:
        """Where clients reach the stack."""

    @abc.abstractmethod
    def broker_url(self) -> str:
        """An AMQP URL ecomctl itself can use to read queues and tap events."""

    @abc.abstractmethod
    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user + system) each running component has used so far."""

    @abc.abstractmethod
    def kill(self, component: str) -> None:
        """SIGKILL the component (or every process of a service); it stays down until started."""

    @abc.abstractmethod
    def stop(self, component: str) -> None:
        """Stop the component gracefully."""

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

    @abc.abstractmethod
    def internal_get(self, service: str, path: str) -> str:
        """GET one of the service's internal endpoints (metrics), which the gateway never
        routes, from where the service runs; returns the body."""

    # The primitives the start plan is written over.

    @abc.abstractmethod
    def stack_is_running(self) -> bool:
        """True once `up` has set the stack up (whatever state its components are in)."""

    @abc.abstractmethod
    def prepare(self, progress: Progress) -> None:
        """Everything before the first component starts; on a running stack, apply a
        changed stack description."""

    @abc.abstractmethod
    def is_running(self, component: Component) -> bool:
        """Started (or starting) and not exited; a paused component counts as running."""

    @abc.abstractmethod
    def launch(self, component: Component) -> None:
        """Start one component without waiting for it to be ready."""

    @abc.abstractmethod
    def readiness(self, component: Component) -> ReadinessCheck | None:
        """How to tell the component is ready; None: running is ready."""

    def databases_ready(self) -> None:  # noqa: B027 - an optional hook: by default there is nothing to do
        """Called once every database answers, before migrations."""

    def broker_ready(self) -> None:  # noqa: B027 - an optional hook: by default there is nothing to do
        """Called once the broker answers, before any service starts."""

    @abc.abstractmethod
    def migrate(self, service: Service, progress: Progress) -> None:
        """Apply the service's database migrations."""

    def log_hint(self, component: Component) -> str | None:
        """Where a user reads why the component failed, for error messages."""
        return None
