"""Before a scenario plays: the stack must be up and healthy (a scenario that starts from a
broken stack proves nothing) and seeded; then the demo customer logs in."""

from __future__ import annotations

import functools

from ecomctl.runtime.base import Runtime
from ecomctl.runtime.errors import StackNotRunning
from ecomctl.scenarios.files.loader import ScenarioFile
from ecomctl.scenarios.script import ScenarioProblem, ScenarioRun
from ecomctl.shop.api_client import ApiClient, ApiError
from ecomctl.shop.logins import admin_login, customer_login
from ecomctl.shop.orders import resolve_products

CUSTOMER = "alice"
PRODUCT = "MUG-BLUE"
NOT_SEEDED = "The demo accounts do not exist on this stack. Run `ecomctl seed` first."


def set_stage(scenario: ScenarioFile, runtime: Runtime, *, gateway: str, broker_url: str, exchange: str) -> ScenarioRun:
    """A ScenarioRun for the scenario, or ScenarioProblem (StackNotRunning) saying what to do first."""
    _require_components(scenario, runtime)
    _require_healthy(runtime)
    customer = _login(lambda: customer_login(ApiClient(gateway), CUSTOMER))
    admin = functools.cache(lambda: _login(lambda: admin_login(ApiClient(gateway))))
    return ScenarioRun(
        runtime=runtime,
        customer=customer,
        admin=admin,
        product_ids=resolve_products(customer, [PRODUCT]),
        broker_url=broker_url,
        exchange=exchange,
    )


def _require_components(scenario: ScenarioFile, runtime: Runtime) -> None:
    missing = [name for name in scenario.needs if name not in runtime.component_names()]
    if missing:
        raise ScenarioProblem(
            f"{scenario.name} needs to stop {', '.join(missing)}, which this stack does not run itself "
            "(it uses an external server). Choose another scenario, or run the stack without "
            "ECOMLAB_POSTGRES_URL / ECOMLAB_RABBITMQ_URL."
        )


def _require_healthy(runtime: Runtime) -> None:
    components = runtime.status()
    if all(component.state == "down" for component in components):
        raise StackNotRunning()
    unwell = [component for component in components if not component.healthy]
    if unwell:
        described = ", ".join(
            f"{component.name} ({'unhealthy' if component.state == 'running' else component.state})"
            for component in unwell
        )
        fixes = [f"`ecomctl unpause {component.name}`" for component in unwell if component.state == "paused"]
        if len(fixes) < len(unwell):
            fixes.append("`ecomctl up`")
        raise ScenarioProblem(
            f"A scenario starts from a healthy stack, and these are not: {described}. "
            f"Run {' and '.join(fixes)}, then try again."
        )


def _login(log_in) -> ApiClient:
    try:
        return log_in()
    except ApiError as error:
        if error.status in (400, 401):
            raise ScenarioProblem(NOT_SEEDED) from None
        raise
