"""The start plan every runtime follows, written once over the per-component primitives of
base.Runtime:

    1. prepare              (the runtime's own set-up: state, images, networks ...)
    2. infrastructure       databases at once, the broker in the background (it boots slowest)
    3. migrations           each service whose web process is not running, all at once
    4. services             web processes in dependency waves, the services of one wave
                            together; each service's relay and consumers as soon as its web
                            is ready and the broker is, in the background, since no web
                            process needs the broker (the outbox lets it write without one)
    5. gateway              once every web process is ready, so it never routes to a
                            service that is not there; `up` returns when the relays and
                            consumers are running too
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from ecomctl.runtime.components import Component, ComponentKind, find_components, service_start_waves
from ecomctl.runtime.readiness import wait_until_ready

if TYPE_CHECKING:
    from ecomctl.description.stack_file import Service
    from ecomctl.runtime.base import Progress, Runtime

TIMEOUTS = {
    ComponentKind.INFRA: 90,
    ComponentKind.SERVICE: 90,
    ComponentKind.RELAY: 60,
    ComponentKind.CONSUMER: 60,
    ComponentKind.GATEWAY: 30,
}

Item = TypeVar("Item")


def bring_up(runtime: Runtime, progress: Progress) -> None:
    from ecomctl.runtime.base import ProgressEvent

    runtime.prepare(progress)
    start = lambda component: start_and_wait(runtime, component, progress)  # noqa: E731
    infra = runtime.of_kind(ComponentKind.INFRA)
    services = runtime.stack.services
    with ThreadPoolExecutor(max_workers=1 + len(services)) as background:
        broker = background.submit(_start_broker, runtime, [c for c in infra if c.name == "rabbitmq"], start)
        in_parallel(start, [component for component in infra if component.name != "rabbitmq"])
        progress(ProgressEvent("stack", "preparing", "databases"))
        runtime.databases_ready()
        in_parallel(lambda service: _migrate_if_stopped(runtime, service, progress), services)
        workers_started = []
        for wave in service_start_waves(runtime.stack):
            in_parallel(lambda service: start_and_wait(runtime, _web(runtime, service), progress), wave)
            workers_started += [
                background.submit(_start_workers, runtime, service, broker, progress) for service in wave
            ]
        # The gateway routes to web processes only: it need not wait for relays and consumers.
        in_parallel(start, runtime.of_kind(ComponentKind.GATEWAY))
        for started in [broker, *workers_started]:
            started.result()


def _web(runtime: Runtime, service: Service) -> Component:
    return find_components(runtime.components, service.name)[0]


def _start_broker(runtime: Runtime, broker: list[Component], start: Callable[[Component], None]) -> None:
    in_parallel(start, broker)
    runtime.broker_ready()


def _start_workers(runtime: Runtime, service: Service, broker: Future, progress: Progress) -> None:
    """A service's relay and consumers together, once the broker is up."""
    broker.result()
    workers = find_components(runtime.components, service.name)[1:]
    in_parallel(lambda component: start_and_wait(runtime, component, progress), workers)


def start_and_wait(runtime: Runtime, component: Component, progress: Progress, wait: bool = True) -> None:
    from ecomctl.runtime.base import ProgressEvent

    if runtime.is_running(component):
        progress(ProgressEvent(component.name, "ready", "already running"))
        return
    progress(ProgressEvent(component.name, "starting"))
    runtime.launch(component)
    check = runtime.readiness(component)
    if wait and check is not None:
        progress(ProgressEvent(component.name, "waiting", check.description))
        wait_until_ready(
            component.name,
            check,
            timeout=TIMEOUTS[component.kind],
            still_running=lambda: runtime.is_running(component),
            log_file=runtime.log_hint(component),
        )
    progress(ProgressEvent(component.name, "ready"))


def _migrate_if_stopped(runtime: Runtime, service: Service, progress: Progress) -> None:
    if not runtime.is_running(_web(runtime, service)):
        runtime.migrate(service, progress)


def in_parallel(function: Callable[[Item], object], items: Iterable[Item]) -> None:
    """Call function on every item at once; the first error is raised once all are done."""
    items = list(items)
    if len(items) <= 1:
        for item in items:
            function(item)
        return
    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        for future in [pool.submit(function, item) for item in items]:
            future.result()
