"""Named failure scenarios: each breaks one real thing on a running, seeded stack, checks
what the system does about it, and mends what it broke, whatever happens.

    script     Scenario, ScenarioRun (steps, checks, eventually, mends) and play()
    stage      what must hold before a scenario plays, and the demo logins
    shopping   a customer's moves through the gateway, timed and checked
    watch      the live event tap, in the background
    outages    payments-outage, broker-outage, database-outage
    provider   declined-card, slow-provider
"""

from __future__ import annotations

from ecomctl.scenarios.outages import BROKER_OUTAGE, DATABASE_OUTAGE, PAYMENTS_OUTAGE
from ecomctl.scenarios.provider import DECLINED_CARD, SLOW_PROVIDER
from ecomctl.scenarios.script import Result, Scenario, ScenarioProblem, ScenarioRun, Step, play
from ecomctl.scenarios.stage import set_stage

# The order `scenario list` shows: the saga's main story first, the slowest last.
SCENARIOS: list[Scenario] = [PAYMENTS_OUTAGE, DECLINED_CARD, SLOW_PROVIDER, BROKER_OUTAGE, DATABASE_OUTAGE]

__all__ = ["SCENARIOS", "Result", "Scenario", "ScenarioProblem", "ScenarioRun", "Step", "find", "play", "set_stage"]


class UnknownScenario(ScenarioProblem):
    pass


def find(name: str) -> Scenario:
    for scenario in SCENARIOS:
        if scenario.name == name:
            return scenario
    names = ", ".join(scenario.name for scenario in SCENARIOS)
    raise UnknownScenario(f"There is no scenario named {name!r}. Choose one of: {names}.")
