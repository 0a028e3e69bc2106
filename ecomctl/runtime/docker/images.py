"""The images a stack runs: the infrastructure images (settings, pinned in stack.yaml,
overridden by ECOMLAB_<ROLE>_IMAGE) and one image per service built from
services/Dockerfile, tagged by a hash of everything that goes into it so an image is
rebuilt only when one of its inputs changed."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ecomctl.description.stack_file import PROJECT_ROOT, Stack
from ecomctl.runtime.docker.wheelhouse import requirements_text

IMAGE_ROLES = ("postgres", "rabbitmq", "nginx", "python")
DOCKERFILE = "services/Dockerfile"


def image_variable(role: str) -> str:
    return f"ECOMLAB_{role.upper()}_IMAGE"


@dataclass(frozen=True)
class ImageSet:
    postgres: str
    rabbitmq: str
    nginx: str
    python: str
    service_tags: dict[str, str]  # service -> the tag its current inputs build

    def service(self, name: str) -> str:
        return self.service_tags[name]

    @property
    def infrastructure(self) -> dict[str, str]:
        return {"postgres": self.postgres, "rabbitmq": self.rabbitmq, "nginx": self.nginx, "python": self.python}


def image_set(stack: Stack) -> ImageSet:
    roles = {role: os.environ.get(image_variable(role)) or stack.images[role] for role in IMAGE_ROLES}
    tags = {
        service.name: f"{stack.name}/{service.name}:{inputs_hash(stack, service.name, roles['python'])[:12]}"
        for service in stack.services
    }
    return ImageSet(**roles, service_tags=tags)


def context_files(service: str) -> list[tuple[str, Path]]:
    """(path in the build context, file) for everything services/Dockerfile copies."""
    roots = [Path("services/chassis"), Path("services") / service, Path("contracts")]
    files = [(DOCKERFILE, PROJECT_ROOT / DOCKERFILE)]
    for root in roots:
        for path in sorted((PROJECT_ROOT / root).rglob("*")):
            relative = path.relative_to(PROJECT_ROOT)
            if path.is_file() and not _ignored(relative):
                files.append((relative.as_posix(), path))
    return files


# The chassis's test helpers (ecomlab-chassis-testing): installed for tests, never in an image.
CHASSIS_TESTING = Path("services/chassis/testing")


def _ignored(relative: Path) -> bool:
    # The same parts .dockerignore leaves out of a compose build.
    parts = set(relative.parts)
    return (
        bool(parts & {"__pycache__", "tests", ".pytest_cache", "benchmarks"})
        or relative.suffix == ".pyc"
        or any(part.endswith(".egg-info") for part in relative.parts)
        or relative.is_relative_to(CHASSIS_TESTING)
    )


def inputs_hash(stack: Stack, service: str, python_image: str) -> str:
    """The base image, every requirement and every file the Dockerfile copies."""
    digest = hashlib.sha256(f"python={python_image}\nservice={service}\n".encode())
    digest.update(requirements_text(stack).encode())
    for name, path in context_files(service):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_context(service: str, wheelhouse: Path | None) -> io.BytesIO:
    """A tar of just what the image needs, the wheelhouse under wheelhouse/."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, path in context_files(service):
            archive.add(path, arcname=name, recursive=False)
        folder = tarfile.TarInfo("wheelhouse")
        folder.type, folder.mode = tarfile.DIRTYPE, 0o755
        archive.addfile(folder)
        for wheel in sorted(wheelhouse.glob("*.whl")) if wheelhouse else ():
            archive.add(wheel, arcname=f"wheelhouse/{wheel.name}")
    buffer.seek(0)
    return buffer
