"""What a scenario plays with, on its own: steps record what happened, a failed check ends
its step with its sentence, and what was broken is mended once, whatever happened."""

from __future__ import annotations

import pytest

from ecomctl.scenarios.script import ScenarioFailed, ScenarioRun
from ecomctl.shop.api_client import ApiError


class Recorder:
    def __init__(self):
        self.lines = []

    def step_started(self, step):
        self.lines.append(f"start {step.action}")

    def step_finished(self, step):
        self.lines.append(f"{step.outcome} {step.action}: {step.happened}")


def new_run(narrator=None) -> ScenarioRun:
    # No stack: these tests only exercise the run's own bookkeeping.
    return ScenarioRun(
        runtime=None,
        customer=None,
        admin=lambda: None,
        product_ids=[1],
        broker_url="",
        exchange="",
        narrator=narrator or Recorder(),
    )


def test_a_mend_done_in_the_story_is_not_done_again_by_the_rollbacks():
    mended = []
    run = new_run()
    with run.step("break it", expect="broken") as step:
        run.breaks("mend it", lambda: mended.append("mended"))
        step.saw("broken")
    with run.step("mend it", expect="whole"):
        run.mend("mend it")

    assert run.mend_everything() == []
    assert mended == ["mended"]
    assert [(step.action, step.outcome, step.happened) for step in run.steps] == [
        ("break it", "passed", "broken"),
        ("mend it", "passed", ""),
    ]


def test_a_failed_check_fails_its_step_with_its_sentence_and_the_rollbacks_still_mend():
    mended = []
    narrator = Recorder()
    run = new_run(narrator)
    with run.step("break it", expect="broken"):
        run.breaks("start payments", lambda: mended.append("started"))
    with pytest.raises(ScenarioFailed, match="became CONFIRMED although"):
        with run.step("look", expect="PENDING"):
            run.check(False, "Order 1 became CONFIRMED although nothing could have processed it.")

    assert run.mend_everything() == []
    assert mended == ["started"]
    assert [(step.action, step.outcome, step.restore) for step in run.steps] == [
        ("break it", "passed", False),
        ("look", "failed", False),
        ("start payments", "passed", True),
    ]
    assert "failed look: Order 1 became CONFIRMED although nothing could have processed it." in narrator.lines


def test_an_api_error_in_a_step_fails_it_with_the_error_s_sentence():
    run = new_run()
    with pytest.raises(ScenarioFailed) as failed:
        with run.step("place an order", expect="accepted"):
            raise ApiError("POST /orders/ answered 500: Something went wrong on our side.", 500)

    assert str(failed.value) == "POST /orders/ answered 500: Something went wrong on our side."
    assert run.steps[0].outcome == "failed"


def test_a_mend_that_fails_is_reported_and_the_others_still_run_newest_first():
    mended = []

    def fail():
        raise ApiError("Nothing answers at http://127.0.0.1:1.")

    run = new_run()
    run.breaks("start rabbitmq", lambda: mended.append("rabbitmq"))
    run.breaks("reset the payment provider", fail)

    problems = run.mend_everything()

    assert len(problems) == 1
    assert problems[0].startswith("Could not reset the payment provider: Nothing answers at")
    assert "ecomctl up" in problems[0]
    assert mended == ["rabbitmq"]
    assert [step.action for step in run.steps] == ["reset the payment provider", "start rabbitmq"]
    assert run.mend_everything() == []  # a failed mend is not tried twice


def test_ctrl_c_in_a_step_marks_it_interrupted_and_the_rollbacks_still_run():
    mended = []
    run = new_run()
    run.breaks("start payments", lambda: mended.append("started"))
    with pytest.raises(KeyboardInterrupt):
        with run.step("wait", expect="PENDING"):
            raise KeyboardInterrupt

    run.mend_everything()

    assert mended == ["started"]
    assert [step.outcome for step in run.steps] == ["interrupted", "passed"]


def test_eventually_returns_the_first_truthy_answer_or_says_what_did_not_happen():
    answers = iter([None, 0, "ready"])
    run = new_run()

    assert run.eventually(lambda: next(answers), timeout=5, what="readiness", interval=0) == "ready"
    with pytest.raises(ScenarioFailed, match=r"Waited 0.2 s for the order to be CONFIRMED; it did not happen."):
        run.eventually(lambda: False, timeout=0.2, what="the order to be CONFIRMED", interval=0.05)
