"""Makes sure every image a stack runs is on the engine: infrastructure images found or
pulled, service images built from services/Dockerfile when no image has their inputs'
hash yet (so a warm `up` builds nothing). Build output streams into the progress display."""

from __future__ import annotations

from pathlib import Path

from ecomctl.description.stack_file import Stack
from ecomctl.runtime.base import Progress, ProgressEvent
from ecomctl.runtime.docker.engine import EngineError, ImageUnavailable, image_present
from ecomctl.runtime.docker.images import DOCKERFILE, ImageSet, build_context, image_variable
from ecomctl.runtime.docker.naming import stack_labels
from ecomctl.runtime.docker.wheelhouse import stage_wheelhouse


def ensure_images(client, stack: Stack, images: ImageSet, cache: Path, progress: Progress) -> None:
    for role, image in images.infrastructure.items():
        ensure_pulled(client, image, image_variable(role), progress)
    missing = [service for service, tag in images.service_tags.items() if not image_present(client, tag)]
    if not missing:
        return
    progress(ProgressEvent("images", "preparing", "staging the wheelhouse"))
    wheelhouse = stage_wheelhouse(stack, cache, client.info().get("Architecture", "x86_64"))
    # One at a time: the first build makes the layer every service shares, the rest reuse it.
    for service in missing:
        build_service_image(client, stack, service, images, wheelhouse, progress)


def ensure_pulled(client, image: str, variable: str, progress: Progress) -> None:
    import docker.errors

    if image_present(client, image):
        return
    progress(ProgressEvent("images", "pulling", image))
    try:
        client.images.pull(image)
    except docker.errors.APIError:
        raise ImageUnavailable(image, variable) from None


def build_service_image(
    client, stack: Stack, service: str, images: ImageSet, wheelhouse: Path | None, progress: Progress
) -> None:
    tag = images.service(service)
    component = f"{service}-image"
    progress(ProgressEvent(component, "building", tag))
    stream = client.api.build(
        fileobj=build_context(service, wheelhouse),
        custom_context=True,
        dockerfile=DOCKERFILE,
        tag=tag,
        rm=True,
        forcerm=True,
        decode=True,
        buildargs={"SERVICE": service, "PYTHON_IMAGE": images.python},
        labels=stack_labels(stack, service=service, **{"inputs_hash": tag.rsplit(":", 1)[1]}),
    )
    for chunk in stream:
        if "error" in chunk:
            raise EngineError(f"build {tag}", chunk["error"].strip())
        line = chunk.get("stream", "").strip()
        if line:
            progress(ProgressEvent(component, "building", line[:160]))
    progress(ProgressEvent(component, "ready", tag))
