"""Runs a scenario file: its own tap on the exchange from before the first step, the
interpreter, the rollbacks (always), the steady state again, then the verdict."""

from __future__ import annotations

import time
from pathlib import Path

from ecomctl.description.stack_file import PROJECT_ROOT
from ecomctl.scenarios.files.interpreter import Interpreter
from ecomctl.scenarios.files.loader import ScenarioFile, ScenarioFileError, load_scenario
from ecomctl.scenarios.files.record import RunRecord
from ecomctl.scenarios.files.verdict import dead_letter_depths, judge
from ecomctl.scenarios.script import Result, ScenarioFailed, ScenarioProblem, ScenarioRun
from ecomctl.scenarios.watch import EventWatch

SCENARIO_DIR = PROJECT_ROOT / "scenarios"


def builtin_files() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*.yaml"))


def find_file(name_or_path: str) -> Path:
    """A built-in by name, or any file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    builtin = SCENARIO_DIR / f"{name_or_path}.yaml"
    if builtin.exists():
        return builtin
    names = ", ".join(path.stem for path in builtin_files())
    raise ScenarioProblem(
        f"There is no scenario named {name_or_path!r}. Choose one of: {names}, or give a file's path."
    )


def play_file(scenario: ScenarioFile, run: ScenarioRun) -> Result:
    started = time.monotonic()
    record = RunRecord()
    failure = None
    with EventWatch(run.broker_url, run.exchange) as watch:
        record.dead_letters_at_start = dead_letter_depths(run)
        interpreter = Interpreter(scenario, run, watch, record)
        try:
            interpreter.play()
        except ScenarioFailed as problem:
            failure = str(problem)
        finally:
            restore_problems = run.mend_everything()
        failure = failure or (" ".join(restore_problems) if restore_problems else None)
        if failure is None:
            try:
                interpreter.steady_state_again()
            except ScenarioFailed as problem:
                failure = f"The steady state did not come back: {problem}"
        invariants = judge(run, record, watch)
    passed = failure is None and all(invariant.held for invariant in invariants)
    if failure is None and not passed:
        failure = "An invariant did not hold: " + "; ".join(
            f"{invariant.name} ({invariant.detail})" for invariant in invariants if not invariant.held
        )
    return Result(
        scenario.name, scenario.title, passed, round(time.monotonic() - started, 3), failure, run.steps, invariants
    )


def run_summary(scenario: ScenarioFile, result: Result, unsafe: tuple[str, ...]) -> dict:
    """What a run concluded, in a line: kept in the state directory for the workshop's checks."""
    path = Path(scenario.path).resolve()
    return {
        "scenario": scenario.name,
        "file": str(path),
        "builtin": path.parent == SCENARIO_DIR.resolve(),
        "passed": result.passed,
        "finished_at": time.time(),
        "unsafe": list(unsafe),
        "failed_invariants": [invariant.name for invariant in result.invariants if not invariant.held],
        "words": sorted({spec.word for spec in scenario.all_steps()}),
    }


__all__ = ["ScenarioFileError", "builtin_files", "find_file", "load_scenario", "play_file", "run_summary"]
