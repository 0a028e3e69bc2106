"""Stages the wheels every service image installs, with the host's pip, for the engine's
platform (so builds download nothing: these machines' builds cannot reach PyPI). Works
from macOS and Linux alike: pip downloads Linux wheels for the container's architecture."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from ecomctl.description.stack_file import PROJECT_ROOT, Stack
from ecomctl.runtime.errors import RuntimeProblem

PYTHON_VERSION = "3.11"
# Build requirements of the chassis (installed from source in the image).
BUILD_REQUIREMENTS = ("setuptools>=68", "wheel")
ARCHITECTURES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


class WheelhouseFailed(RuntimeProblem):
    def __init__(self, output: str):
        last = output.strip().splitlines()[-1] if output.strip() else "no output"
        super().__init__(
            f"Downloading the wheels for the service images failed: {last}",
            "Check that pip reaches PyPI (or a mirror set in pip's config) and run the command again.",
        )


def wheelhouse_cache() -> Path:
    """Where staged wheelhouses are kept, shared by every stack of this user."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ecomlab"


def requirement_files(stack: Stack) -> list[Path]:
    return [service.directory / "requirements.txt" for service in stack.services]


def platforms(architecture: str) -> list[str]:
    machine = ARCHITECTURES.get(architecture.lower(), architecture.lower())
    return [
        f"manylinux_2_28_{machine}",
        f"manylinux_2_17_{machine}",
        f"manylinux2014_{machine}",
        f"manylinux_2_5_{machine}",
        f"manylinux1_{machine}",
        "linux_" + machine,
    ]


def requirements_text(stack: Stack) -> str:
    """Every service's requirements and the chassis's own dependencies, in one list."""
    chassis = PROJECT_ROOT / "services" / "chassis" / "pyproject.toml"
    lines = _chassis_dependencies(chassis)
    for path in requirement_files(stack):
        lines += [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    wanted = [line for line in dict.fromkeys(lines) if line and line != "ecomlab-chassis"]
    return "\n".join([*wanted, *BUILD_REQUIREMENTS]) + "\n"


def _chassis_dependencies(pyproject: Path) -> list[str]:
    import tomllib

    return list(tomllib.loads(pyproject.read_text())["project"]["dependencies"])


def stage_wheelhouse(stack: Stack, cache: Path, architecture: str) -> Path:
    """A folder of wheels for every requirement, reused while the requirements are the same."""
    text = requirements_text(stack)
    key = hashlib.sha256(f"{architecture}\n{text}".encode()).hexdigest()[:12]
    folder = cache / f"wheelhouse-{key}"
    if (folder / ".complete").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    requirements = folder / "requirements.txt"
    requirements.write_text(text)
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--disable-pip-version-check",
        "--only-binary=:all:",
        "--python-version",
        PYTHON_VERSION,
        "--implementation",
        "cp",
        "-d",
        str(folder),
        "-r",
        str(requirements),
    ]
    for platform in platforms(architecture):
        command += ["--platform", platform]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise WheelhouseFailed(result.stderr or result.stdout)
    (folder / ".complete").touch()
    return folder
