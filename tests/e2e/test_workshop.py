"""Every workshop exercise done as its text says, on one fresh seeded stack: the Start
block of docs/workshop/NN-*.md, its check failing before anything was done, each of its
```sh blocks run as written, then its Check block passing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ecomctl.description.stack_file import PROJECT_ROOT
from ecomctl.workshop.exercises import EXERCISES
from support.cli import started_cli

SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def ecomctl():
    with started_cli("ecomlab-workshop-", seed=True) as cli:
        yield cli


def sh_blocks(doc: Path) -> list[str]:
    return [block.strip() for block in SH_BLOCK.findall(doc.read_text())]


def run_block(ecomctl, block: str, folder: Path) -> subprocess.CompletedProcess:
    # `ecomctl` on PATH, as for a learner with the project's virtualenv active.
    environment = {**ecomctl.environment, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-e", "-c", block],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_every_exercise_has_its_text():
    assert [path.name for path in sorted((PROJECT_ROOT / "docs" / "workshop").glob("[0-9][0-9]-*.md"))] == [
        Path(item.doc).name for item in EXERCISES
    ]


@pytest.mark.parametrize("item", EXERCISES, ids=[item.slug for item in EXERCISES])
def test_an_exercise_done_as_written_passes_its_check(ecomctl, item, tmp_path):
    blocks = sh_blocks(PROJECT_ROOT / item.doc)
    assert blocks[0] == f"ecomctl workshop start {item.number}", f"{item.doc} starts with its Start block"
    assert blocks[-1] == f"ecomctl workshop check {item.number}", f"{item.doc} ends with its Check block"
    assert len(blocks) > 2, f"{item.doc} has commands to do"

    started = run_block(ecomctl, blocks[0], tmp_path)
    assert started.returncode == 0, started.stderr
    untouched = ecomctl("workshop", "check", str(item.number), check=False)
    assert untouched.returncode == 1, f"passed before anything was done:\n{untouched.stdout}"
    assert "✗" in untouched.stdout

    for block in blocks[1:-1]:
        done = run_block(ecomctl, block, tmp_path)
        assert done.returncode == 0, f"{item.doc}:\n{block}\nexited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    checked = run_block(ecomctl, blocks[-1], tmp_path)
    assert checked.returncode == 0, f"{item.doc} done as written did not pass:\n{checked.stdout}\n{checked.stderr}"
    assert f"✓ exercise {item.number} passed" in checked.stdout
