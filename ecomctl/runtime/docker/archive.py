"""Every image a stack needs in one archive (the `docker save` format, so shared layers are
stored once and `docker load` reads it too), for workshop rooms with poor internet."""

from __future__ import annotations

import tarfile
from pathlib import Path

from ecomctl.runtime.docker.engine import EngineError, ImageUnavailable, image_present

__all__ = ["ArchiveUnreadable", "ImageUnavailable", "export_images", "import_images", "stack_images"]
from ecomctl.runtime.docker.images import IMAGE_ROLES, ImageSet, image_variable
from ecomctl.runtime.errors import RuntimeProblem

CHUNK = 4 * 1024 * 1024


class ArchiveUnreadable(RuntimeProblem):
    def __init__(self, path: Path, reason: str):
        super().__init__(
            f"{path} cannot be imported: {reason}.",
            "Give a file written by `ecomctl images export` (or `docker save`).",
        )


def stack_images(images: ImageSet) -> list[str]:
    return [*images.infrastructure.values(), *images.service_tags.values()]


def export_images(client, images: ImageSet, path: Path) -> list[str]:
    names = stack_images(images)
    for name in names:
        if not image_present(client, name):
            role = next((role for role in IMAGE_ROLES if images.infrastructure.get(role) == name), "python")
            raise ImageUnavailable(name, image_variable(role))
    # The engine's /images/get takes several names at once; the SDK's get_image only one.
    response = client.api._get(client.api._url("/images/get"), params={"names": names}, stream=True)
    if response.status_code != 200:
        raise EngineError("export the images", response.text.strip())
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as archive:
        for chunk in response.iter_content(CHUNK):
            archive.write(chunk)
    partial.replace(path)
    return names


def import_images(client, path: Path) -> list[str]:
    import docker.errors

    if not path.is_file():
        raise ArchiveUnreadable(path, "there is no such file")
    if not tarfile.is_tarfile(path):
        raise ArchiveUnreadable(path, "it is not a tar archive")
    try:
        with path.open("rb") as archive:
            output = client.api.load_image(archive)
        loaded = []
        for message in output:
            if "error" in message:
                raise ArchiveUnreadable(path, message["error"].strip())
            stream = message.get("stream", "")
            if stream.startswith("Loaded image"):
                loaded.append(stream.split(":", 1)[1].strip())
        return loaded
    except docker.errors.APIError as error:
        raise ArchiveUnreadable(path, str(error.explanation or error)) from None
