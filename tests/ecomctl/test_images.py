"""`ecomctl images`: one archive out and back in through a real engine, and clear answers
for an archive that is not there or not an archive."""

from __future__ import annotations

import pytest

from ecomctl.runtime import docker_engine_answers
from ecomctl.runtime.docker import archive
from ecomctl.runtime.docker.engine import connect
from ecomctl.runtime.docker.images import ImageSet
from support.machine import require_binary

ROUND_TRIP_TAG = "ecomlab-test/archive-round-trip:1"


@pytest.fixture
def client():
    require_binary(docker_engine_answers(), "a Docker engine (make docker starts one)")
    client = connect()
    yield client
    client.close()


def test_an_exported_archive_brings_its_images_back(client, tmp_path):
    smallest = min(client.images.list(), key=lambda image: image.attrs["Size"], default=None)
    require_binary(smallest, "any image on the engine")
    smallest.tag(ROUND_TRIP_TAG)
    images = ImageSet(
        postgres=ROUND_TRIP_TAG, rabbitmq=ROUND_TRIP_TAG, nginx=ROUND_TRIP_TAG, python=ROUND_TRIP_TAG, service_tags={}
    )
    path = tmp_path / "images.tar"
    try:
        archive.export_images(client, images, path)
        client.images.remove(ROUND_TRIP_TAG)

        assert archive.import_images(client, path) == [ROUND_TRIP_TAG]
        assert client.images.get(ROUND_TRIP_TAG).id == smallest.id
    finally:
        if client.images.list(name=ROUND_TRIP_TAG):
            client.images.remove(ROUND_TRIP_TAG)


def test_importing_what_is_not_an_archive_says_so(client, cli, tmp_path):
    missing = cli("images", "import", str(tmp_path / "nothing.tar"))
    (tmp_path / "notes.tar").write_text("not an image archive")
    garbage = cli("images", "import", str(tmp_path / "notes.tar"))

    assert missing.exit_code == 1 and "there is no such file" in missing.output
    assert garbage.exit_code == 1 and "cannot be imported" in garbage.output
    assert "Traceback" not in missing.output + garbage.output


def test_exporting_a_missing_image_names_it_and_the_ways_on(client, tmp_path):
    images = ImageSet(postgres="ecomlab-test/not-here:0", rabbitmq="", nginx="", python="", service_tags={})

    with pytest.raises(archive.ImageUnavailable) as missing:
        archive.export_images(client, images, tmp_path / "images.tar")
    assert "ecomlab-test/not-here:0" in str(missing.value) and "make offline-images" in str(missing.value)
