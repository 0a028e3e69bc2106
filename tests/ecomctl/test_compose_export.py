"""The committed compose file is what stack.yaml generates, and compose itself accepts it."""

from __future__ import annotations

import shutil
import subprocess

from ecomctl.description.stack_file import PROJECT_ROOT, STACK_FILE, load_stack
from ecomctl.runtime.docker.compose import COMPOSE_DIR, COMPOSE_FILE, render_compose
from support.machine import require_binary


def test_the_committed_compose_files_are_what_the_stack_description_generates():
    for name, content in render_compose(load_stack(STACK_FILE)).items():
        committed = PROJECT_ROOT / COMPOSE_DIR / name
        assert committed.read_text() == content, f"{COMPOSE_DIR}/{name} is stale: run `ecomctl compose export`"


def test_docker_compose_accepts_the_file():
    require_binary(shutil.which("docker-compose"), "docker-compose (apt-get install docker-compose)")
    result = subprocess.run(
        ["docker-compose", "-f", str(PROJECT_ROOT / COMPOSE_DIR / COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_compose_export_writes_both_files(cli, tmp_path):
    result = cli("compose", "export", "--dir", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert (tmp_path / COMPOSE_FILE).read_text() == (PROJECT_ROOT / COMPOSE_DIR / COMPOSE_FILE).read_text()
    assert "proxy_pass http://$orders_upstream" in (tmp_path / "nginx.conf").read_text()
