"""RabbitMQ for the local runtime: a private node (own name, ports, port mapper, data and
cookie) run from the host's rabbitmq-server, or a vhost on a broker given by URL
(ECOMLAB_RABBITMQ_URL)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from base64 import b64encode
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ecomctl.runtime import prerequisites
from ecomctl.runtime.errors import ExternalServerError, PrerequisiteMissing
from ecomctl.runtime.local.accounts import Account, ensure_writable_by, hand_over
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.supervisor import Program
from ecomctl.stack import Stack

COMPONENT = "rabbitmq"


class PrivateRabbitMQ:
    """A node of its own, so stopping it never touches a broker the host already runs."""

    def __init__(self, stack: Stack, layout: StateLayout, account: Account | None):
        settings = stack.infrastructure["rabbitmq"]
        self.port = int(settings["port"])
        self.dist_port = int(settings.get("dist_port", self.port + 20000))
        self.epmd_port = int(settings.get("epmd_port", self.dist_port + 1))
        self.layout = layout
        self.account = account
        self.directory = layout.rabbitmq
        self.node = f"ecomlab-{hashlib.sha256(str(layout.root).encode()).hexdigest()[:8]}@localhost"

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def prepare(self) -> None:
        for name in ("mnesia", "log", "home"):
            (self.directory / name).mkdir(parents=True, exist_ok=True)
        cookie = self.directory / "home" / ".erlang.cookie"
        cookie.unlink(missing_ok=True)
        cookie.write_text(self._cookie())
        cookie.chmod(0o400)  # Erlang refuses a cookie others can read
        (self.directory / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users.guest = true\n"
        )
        (self.directory / "enabled_plugins").write_text("[].\n")
        # Our own (empty) env file: the host's may name the host's node.
        (self.directory / "rabbitmq-env.conf").write_text("")
        hand_over(self.directory, self.account)
        ensure_writable_by(self.directory / "mnesia", self.account)

    def _cookie(self) -> str:
        return self.layout.secret("erlang-cookie").replace("-", "A").replace("_", "B")

    def environment(self) -> dict[str, str]:
        return {
            "HOME": str(self.directory / "home"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_CONF_ENV_FILE": str(self.directory / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(self.directory / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.directory / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(self.directory / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.directory / "log"),
            "RABBITMQ_LOGS": "-",  # to stdout, which supervisord keeps in logs/rabbitmq.log
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "ERL_EPMD_PORT": str(self.epmd_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }

    def program(self) -> Program:
        return Program(
            name=COMPONENT,
            command=[str(_scripts_dir() / "rabbitmq-server")],
            directory=self.directory,
            environment=self.environment(),
            user=self.account.name if self.account else None,
            stop_as_group=False,  # the start script turns TERM into an orderly node stop
            stop_wait_seconds=60,
        )

    def rabbitmqctl(self, *arguments: str, timeout: float = 30) -> subprocess.CompletedProcess:
        command = [str(_scripts_dir() / "rabbitmqctl"), "-n", self.node, "--erlang-cookie", self._cookie(), *arguments]
        return subprocess.run(command, env={**os.environ, **self.environment()},
                              capture_output=True, text=True, timeout=timeout, check=False)

    def stop_port_mapper(self) -> None:
        """The node starts its own epmd, which outlives it; end it with the node."""
        epmd = shutil.which("epmd") or "/usr/lib/erlang/bin/epmd"
        if shutil.which(epmd):
            subprocess.run([epmd, "-port", str(self.epmd_port), "-kill"], capture_output=True, check=False, timeout=10)


class ExternalRabbitMQ:
    """The stack's own vhost on a broker the user runs; the URL's vhost when it names one."""

    def __init__(self, url: str, vhost: str):
        self.given_url = url
        address = urlsplit(url)
        named = unquote(address.path.lstrip("/"))
        self.vhost = named if named and named != "/" else vhost
        self.url = urlunsplit(address._replace(path="/" + quote(self.vhost, safe="")))
        self.user, self.password = address.username or "guest", address.password or "guest"
        self.host = address.hostname or "127.0.0.1"

    def prepare(self) -> None:
        self._api("PUT", f"vhosts/{quote(self.vhost, safe='')}", {})
        self._api("PUT", f"permissions/{quote(self.vhost, safe='')}/{quote(self.user, safe='')}",
                  {"configure": ".*", "write": ".*", "read": ".*"})

    def drop(self) -> None:
        self._api("DELETE", f"vhosts/{quote(self.vhost, safe='')}", None)

    def _api(self, method: str, path: str, body: dict | None) -> None:
        """The management HTTP API, else rabbitmqctl on this host, else a clear error."""
        request = urllib.request.Request(
            f"http://{self.host}:15672/api/{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json",
                     "Authorization": "Basic " + b64encode(f"{self.user}:{self.password}".encode()).decode()},
        )
        try:
            with urllib.request.urlopen(request, timeout=5):
                return
        except urllib.error.HTTPError as error:
            if error.code == 404 and method == "DELETE":
                return
        except OSError:
            pass
        self._rabbitmqctl(method, path, body)

    def _rabbitmqctl(self, method: str, path: str, body: dict | None) -> None:
        arguments = {
            "PUT vhosts": ["add_vhost", self.vhost],
            "PUT permissions": ["set_permissions", "-p", self.vhost, self.user, ".*", ".*", ".*"],
            "DELETE vhosts": ["delete_vhost", self.vhost],
        }[f"{method} {path.split('/')[0]}"]
        ctl = prerequisites.find_binary("rabbitmqctl")
        result = subprocess.run([ctl, *arguments], capture_output=True, text=True, timeout=30, check=False) if ctl else None
        if result is None or (result.returncode != 0 and "already_exists" not in result.stderr + result.stdout):
            raise ExternalServerError(
                f"The RabbitMQ vhost {self.vhost!r} cannot be created: the broker has no management API on port 15672 "
                "and rabbitmqctl cannot reach it.",
                f"Create it yourself (rabbitmqctl add_vhost {self.vhost}; rabbitmqctl set_permissions -p {self.vhost} "
                f"{self.user} '.*' '.*' '.*') or name an existing vhost in ECOMLAB_RABBITMQ_URL.",
            )


def _scripts_dir():
    directory = prerequisites.rabbitmq_scripts_dir()
    if directory is None:
        raise PrerequisiteMissing("rabbitmq-server", prerequisites.check((prerequisites.RABBITMQ,))[0].install_command)
    return directory
