"""The rendered config runs as an unprivileged user: with a runtime_dir it needs no write
access anywhere else (as root here, the test drops to the 'nobody' account)."""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def unprivileged() -> Iterator[tuple[tuple[str, ...], Path, int]]:
    """A command prefix that runs as a normal user, a runtime dir that user owns, its uid."""
    run_as: tuple[str, ...] = ()
    uid = os.geteuid()
    # Not pytest's tmp_path: as root its parents are closed to other users.
    runtime_dir = Path(tempfile.mkdtemp(prefix="ecomlab-gateway-"))
    if uid == 0:
        if not shutil.which("setpriv"):
            pytest.skip("setpriv (util-linux) is needed to run nginx as 'nobody' when tests run as root")
        nobody = pwd.getpwnam("nobody")
        uid = nobody.pw_uid
        os.chown(runtime_dir, nobody.pw_uid, nobody.pw_gid)
        run_as = ("setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups")
    yield run_as, runtime_dir, uid
    shutil.rmtree(runtime_dir, ignore_errors=True)


def test_gateway_serves_as_a_normal_user(unprivileged, start_gateway, stack):
    run_as, runtime_dir, uid = unprivileged
    gateway = start_gateway(stack, runtime_dir=runtime_dir, run_as=run_as)

    health = gateway.request("GET", "/gateway/health")
    proxied = gateway.request("POST", "/orders/", body=b"x" * 60_000)

    assert health.json() == {"status": "ok"}
    assert proxied.json()["body_length"] == 60_000
    access_log = (runtime_dir / "access.log").stat()
    assert access_log.st_size > 0
    assert access_log.st_uid == uid
