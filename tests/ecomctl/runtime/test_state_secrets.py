"""Secrets in the state directory: asked for from many threads and processes at once, each
secret is made once, every caller gets the same value, and no reader sees a half-written file."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from ecomctl.runtime.state import StateDirectory

ASK = (
    "from pathlib import Path; import sys; from ecomctl.runtime.state import StateDirectory\n"
    "print(StateDirectory(Path(sys.argv[1])).secret(sys.argv[2]))"
)


def test_threads_asking_for_new_secrets_at_once_each_get_the_one_value(tmp_path):
    state = StateDirectory(tmp_path)
    names = [f"secret-{n % 8}" for n in range(200)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(state.secret, names))

    for name, answer in zip(names, answers, strict=True):
        assert state.secret(name) == answer
    assert len(set(answers)) == 8


def test_processes_asking_at_once_agree_with_each_other(tmp_path):
    asking = [
        subprocess.Popen([sys.executable, "-c", ASK, str(tmp_path), "shared"], stdout=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    answers = {process.communicate(timeout=60)[0].strip() for process in asking}

    assert answers == {StateDirectory(tmp_path).secret("shared")}
    assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600
