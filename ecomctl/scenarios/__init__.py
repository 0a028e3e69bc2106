"""Failure scenarios: each breaks real things on a running, seeded stack, checks what the
system does about it, always runs its rollbacks, and is judged by the invariants over what
the run recorded.

    script     ScenarioRun (narrated steps, checks, eventually, mends), Result, Invariant
    stage      what must hold before a scenario plays, and the demo logins
    watch      the run's own tap on the event exchange, in the background
    files/     scenarios written as YAML: vocabulary, loader, interpreter, verdict, runner
"""

from __future__ import annotations

from ecomctl.scenarios.script import Invariant, Result, ScenarioProblem, ScenarioRun, Step
from ecomctl.scenarios.stage import set_stage

__all__ = ["Invariant", "Result", "ScenarioProblem", "ScenarioRun", "Step", "set_stage"]
