"""The docker runtime's start-up, measured on this machine, with its images' settings
(ECOMLAB_*_IMAGE) as the environment gives them:

    python benchmarks/docker_up.py

1. cold first build: the service images removed, `ecomctl up --runtime docker` builds and starts;
2. `ecomctl up` to all healthy with images built and no data (after `down --volumes`),
   against `docker-compose up -d` with the generated file plus waiting for every health
   check, one after the other on the same ports;
3. warm `up`: after `down` (data kept), nothing to build;
4. the stack's memory, from the engine's stats.

A stack of its own name in a scratch state directory; everything is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import docker  # noqa: E402

from ecomctl.description.stack_file import STACK_FILE, load_stack  # noqa: E402
from ecomctl.runtime.docker.images import image_set  # noqa: E402
from ecomctl.runtime.docker.naming import STACK_LABEL  # noqa: E402
from support.machine import relocated_stack  # noqa: E402

COMPOSE_FILE = ROOT / "compose" / "docker-compose.yml"


def ecomctl(environment: dict, *arguments: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ecomctl", *arguments],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=1800,
    )
    return time.perf_counter() - started


def compose_up_healthy(client) -> float:
    """docker-compose up -d, then wait until every container with a health check is healthy."""
    started = time.perf_counter()
    subprocess.run(
        ["docker-compose", "-p", "ecomlab-bench", "-f", str(COMPOSE_FILE), "up", "-d", "--build"],
        check=True,
        capture_output=True,
        timeout=1800,
    )
    while True:
        containers = client.containers.list(filters={"label": "com.docker.compose.project=ecomlab-bench"})
        states = [c.attrs["State"].get("Health", {}).get("Status", "healthy") for c in containers]
        if containers and all(state == "healthy" for state in states):
            return time.perf_counter() - started
        time.sleep(0.2)


def memory_mib(client, stack_name: str) -> tuple[float, int]:
    containers = client.containers.list(filters={"label": f"{STACK_LABEL}={stack_name}"})
    total = 0
    for container in containers:
        stats = container.stats(stream=False)["memory_stats"]
        # What `docker stats` shows: usage less the page cache the kernel can drop.
        total += stats.get("usage", 0) - stats.get("stats", {}).get("cache", 0)
    return total / 2**20, len(containers)


def main() -> None:
    client = docker.from_env()
    root = Path(tempfile.mkdtemp(prefix="ecomlab-docker-bench-"))
    stack = relocated_stack(root, name="bench")
    environment = {
        **os.environ,
        "ECOMLAB_STATE_DIR": str(root / "state"),
        "ECOMLAB_STACK_FILE": str(root / "stack.yaml"),
    }
    try:
        for tag in image_set(stack).service_tags.values():
            if client.images.list(name=tag):
                client.images.remove(tag, force=True)
        cold = ecomctl(environment, "up", "--runtime", "docker")
        mib, count = memory_mib(client, stack.name)
        ecomctl(environment, "down", "--volumes")
        fresh = ecomctl(environment, "up", "--runtime", "docker")
        ecomctl(environment, "down")
        warm = ecomctl(environment, "up", "--runtime", "docker")
        ecomctl(environment, "down", "--volumes")

        compose = None
        default = load_stack(STACK_FILE)
        if shutil.which("docker-compose"):
            subprocess.run(
                [sys.executable, "-m", "ecomctl", "images", "wheelhouse"], check=True, capture_output=True, timeout=600
            )
            compose_up_healthy(client)  # the first run builds; the second is the one compared
            subprocess.run(
                ["docker-compose", "-p", "ecomlab-bench", "-f", str(COMPOSE_FILE), "down", "-v"],
                check=True,
                capture_output=True,
                timeout=300,
            )
            compose = compose_up_healthy(client)
            subprocess.run(
                ["docker-compose", "-p", "ecomlab-bench", "-f", str(COMPOSE_FILE), "down", "-v"],
                check=True,
                capture_output=True,
                timeout=300,
            )
        print(f"cold first build and up      {cold:6.1f} s")
        print(f"up, images built, no data    {fresh:6.1f} s")
        if compose is not None:
            print(f"docker-compose up + healthy  {compose:6.1f} s   (same images, {default.name} ports)")
        print(f"warm up (data kept)          {warm:6.1f} s")
        print(f"stack memory                 {mib:6.0f} MiB over {count} containers")
    finally:
        subprocess.run(
            [sys.executable, "-m", "ecomctl", "down", "--volumes"],
            env=environment,
            capture_output=True,
            timeout=600,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
