"""supervisord runs a real program: start, SIGKILL (it stays down: no auto-restart),
start again, pause and unpause, each visible to a client; and a changed program list
applied to a running supervisord."""

from __future__ import annotations

import signal
import sys
import time

import pytest

from ecomctl.runtime.errors import StartupFailed
from ecomctl.runtime.local.supervisor import Program
from ecomctl.runtime.readiness import HttpOk, wait_until_ready

NAME = "web"


@pytest.fixture
def web(layout, supervised, free_port):
    port = free_port()
    program = Program(NAME, [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], layout.root)
    supervisor = supervised([program])
    return supervisor, HttpOk(f"http://127.0.0.1:{port}/")


def test_program_starts_and_serves(web):
    supervisor, reachable = web

    supervisor.start(NAME)
    wait_until_ready(NAME, reachable, timeout=10)

    assert supervisor.info(NAME)["statename"] == "RUNNING"


def test_killed_program_is_not_restarted_until_started(web, wait_for_state):
    supervisor, reachable = web
    supervisor.start(NAME)
    wait_until_ready(NAME, reachable, timeout=10)
    first_pid = supervisor.info(NAME)["pid"]

    supervisor.signal_group(NAME, signal.SIGKILL)
    killed_state = wait_for_state(supervisor, NAME, "EXITED")
    time.sleep(1.5)  # longer than startsecs: an auto-restart would have happened by now
    still_down = supervisor.info(NAME)["statename"] == "EXITED" and not reachable.is_ready()
    supervisor.start(NAME)
    wait_until_ready(NAME, reachable, timeout=10)

    assert killed_state == "EXITED"
    assert still_down
    assert supervisor.info(NAME)["pid"] != first_pid


def test_paused_program_answers_nothing_until_unpaused(web):
    supervisor, reachable = web
    supervisor.start(NAME)
    wait_until_ready(NAME, reachable, timeout=10)

    supervisor.signal_group(NAME, signal.SIGSTOP)
    answered_while_paused = reachable.is_ready()
    supervisor.signal_group(NAME, signal.SIGCONT)

    assert not answered_while_paused
    wait_until_ready(NAME, reachable, timeout=10)


def test_program_that_cannot_start_is_a_startup_failure(layout, supervised):
    broken = Program("broken", [sys.executable, "-c", "raise SystemExit(3)"], layout.root)
    supervisor = supervised([broken])

    with pytest.raises(StartupFailed) as failure:
        supervisor.start("broken")

    assert "broken did not start" in str(failure.value)
    assert str(layout.log_file("broken")) in str(failure.value)


def test_a_changed_program_list_is_applied_to_the_running_supervisord(layout, supervised, free_port):
    """As when `ecomctl up` runs again after the stack description changed."""

    def http_server(name: str, port: int) -> Program:
        return Program(name, [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], layout.root)

    first_port, second_port, moved_port, last_port = free_port(), free_port(), free_port(), free_port()
    supervisor = supervised([http_server("first", first_port), http_server("second", second_port)])
    supervisor.start("first")
    supervisor.start("second")
    untouched_pid = supervisor.info("first")["pid"]

    replaced = supervisor.apply([http_server("first", first_port), http_server("third", moved_port)])

    assert replaced == ["third"]
    assert set(supervisor.all_info()) == {"first", "third"}
    assert supervisor.info("first")["pid"] == untouched_pid
    assert supervisor.info("third")["statename"] == "STOPPED"

    assert supervisor.apply([http_server("first", last_port), http_server("third", moved_port)]) == ["first"]
    supervisor.start("first")
    wait_until_ready("first", HttpOk(f"http://127.0.0.1:{last_port}/"), timeout=10)
