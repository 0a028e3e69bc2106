"""The accounts infrastructure runs as: PostgreSQL refuses root and RabbitMQ should not
have it, so as root they run as an existing unprivileged account; as a normal user
everything simply runs as that user."""

from __future__ import annotations

import os
import pwd
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ecomctl.runtime.errors import StateDirectoryUnusable

FALLBACK_ACCOUNT = "nobody"


@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    gid: int

    def subprocess_options(self) -> dict:
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


def infra_account(preferred: str) -> Account | None:
    """The account to run a server as, or None to run it as the current user."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(preferred)
    except KeyError:
        entry = pwd.getpwnam(FALLBACK_ACCOUNT)
    return Account(entry.pw_name, entry.pw_uid, entry.pw_gid)


def hand_over(path: Path, account: Account | None) -> None:
    """Give a directory tree to the account that will write in it."""
    if account is None:
        return
    for root, directories, files in os.walk(path):
        os.chown(root, account.uid, account.gid)
        for name in (*directories, *files):
            os.chown(os.path.join(root, name), account.uid, account.gid, follow_symlinks=False)


def ensure_writable_by(path: Path, account: Account | None) -> None:
    """Fail clearly when a parent folder closes the path to the account (as a home
    directory with mode 0700 does) rather than with the server's own error later."""
    if account is None:
        return
    result = subprocess.run(["test", "-w", str(path)], check=False, **account.subprocess_options())
    if result.returncode != 0:
        raise StateDirectoryUnusable(str(path), f"the {account.name} account cannot write to it")
