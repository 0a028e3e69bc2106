"""The scenario vocabulary on its own: steps record what happened, a failed check ends the
scenario with its sentence, and what was broken is mended whatever happened."""

from __future__ import annotations

import pytest

from ecomctl.client import ApiError
from ecomctl.scenarios.script import Scenario, ScenarioFailed, ScenarioRun, play


class Recorder:
    def __init__(self):
        self.lines = []

    def step_started(self, step):
        self.lines.append(f"start {step.action}")

    def step_finished(self, step):
        self.lines.append(f"{step.outcome} {step.action}: {step.happened}")


def new_run(narrator=None) -> ScenarioRun:
    # No stack: these scenarios only exercise the vocabulary.
    return ScenarioRun(runtime=None, customer=None, admin=lambda: None, product_ids=[1], broker_url="",
                       exchange="", narrator=narrator or Recorder())


def scenario(play_function) -> Scenario:
    return Scenario("test", "A test scenario.", play_function)


def test_a_scenario_whose_checks_hold_passes_and_mends_nothing_twice():
    mended = []

    def story(run):
        with run.step("break it", expect="broken") as step:
            run.breaks("mend it", lambda: mended.append("mended"))
            step.saw("broken")
        with run.step("mend it", expect="whole"):
            run.mend("mend it")

    result = play(scenario(story), new_run())

    assert result.passed and result.failure is None
    assert mended == ["mended"]
    assert [(step.action, step.outcome) for step in result.steps] == [("break it", "passed"), ("mend it", "passed")]


def test_a_failed_check_ends_the_scenario_and_still_mends():
    mended = []
    narrator = Recorder()

    def story(run):
        with run.step("break it", expect="broken"):
            run.breaks("start payments", lambda: mended.append("started"))
        with run.step("look", expect="PENDING"):
            run.check(False, "Order 1 became CONFIRMED although nothing could have processed it.")
        with run.step("never reached", expect="nothing"):
            pass

    result = play(scenario(story), new_run(narrator))

    assert not result.passed
    assert result.failure == "Order 1 became CONFIRMED although nothing could have processed it."
    assert mended == ["started"]
    assert [(step.action, step.outcome, step.restore) for step in result.steps] == [
        ("break it", "passed", False), ("look", "failed", False), ("start payments", "passed", True)]
    assert "failed look: Order 1 became CONFIRMED although nothing could have processed it." in narrator.lines


def test_an_api_error_in_a_step_is_a_failure_with_its_sentence():
    def story(run):
        with run.step("place an order", expect="accepted"):
            raise ApiError("POST /orders/ answered 500: Something went wrong on our side.", 500)

    result = play(scenario(story), new_run())

    assert result.failure == "POST /orders/ answered 500: Something went wrong on our side."


def test_a_mend_that_fails_fails_the_scenario_and_the_others_still_run():
    mended = []

    def fail():
        raise ApiError("Nothing answers at http://127.0.0.1:1.")

    def story(run):
        run.breaks("start rabbitmq", lambda: mended.append("rabbitmq"))
        run.breaks("reset the payment provider", fail)

    result = play(scenario(story), new_run())

    assert not result.passed
    assert result.failure.startswith("Could not reset the payment provider: Nothing answers at")
    assert "ecomctl up" in result.failure
    assert mended == ["rabbitmq"]


def test_ctrl_c_mends_before_it_ends_the_scenario():
    mended = []

    def story(run):
        run.breaks("start payments", lambda: mended.append("started"))
        with run.step("wait", expect="PENDING"):
            raise KeyboardInterrupt

    run = new_run()
    with pytest.raises(KeyboardInterrupt):
        play(scenario(story), run)

    assert mended == ["started"]
    assert [step.outcome for step in run.steps] == ["interrupted", "passed"]


def test_eventually_returns_the_first_truthy_answer_or_says_what_did_not_happen():
    answers = iter([None, 0, "ready"])
    run = new_run()

    assert run.eventually(lambda: next(answers), timeout=5, what="readiness", interval=0) == "ready"
    with pytest.raises(ScenarioFailed, match=r"Waited 0.2 s for the order to be CONFIRMED; it did not happen."):
        run.eventually(lambda: False, timeout=0.2, what="the order to be CONFIRMED", interval=0.05)
