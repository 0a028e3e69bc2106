"""RabbitMQ for the local runtime: a private node (own name, ports, port mapper, data and
cookie) run from the host's rabbitmq-server, or a vhost on a broker given by URL
(ECOMLAB_RABBITMQ_URL). Either way each service with events signs in with its own account,
allowed only its own queues (runtime/broker_accounts.py)."""

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

from ecomctl.description.stack_file import Service, Stack
from ecomctl.runtime import broker_accounts, prerequisites
from ecomctl.runtime.broker_accounts import BrokerAccount
from ecomctl.runtime.errors import ExternalServerError, PrerequisiteMissing
from ecomctl.runtime.local.accounts import Account, ensure_writable_by, hand_over
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.supervisor import Program

COMPONENT = "rabbitmq"
HOST = "127.0.0.1"
DEFAULT_ACCOUNT = "guest"


class PrivateRabbitMQ:
    """A node of its own, so stopping it never touches a broker the host already runs."""

    def __init__(self, stack: Stack, layout: StateLayout, account: Account | None):
        settings = stack.infrastructure["rabbitmq"]
        self.port = int(settings["port"])
        self.dist_port = int(settings.get("dist_port", self.port + 20000))
        self.epmd_port = int(settings.get("epmd_port", self.dist_port + 1))
        self.stack = stack
        self.layout = layout
        self.account = account
        self.directory = layout.rabbitmq
        self.node = f"ecomlab-{hashlib.sha256(str(layout.root).encode()).hexdigest()[:8]}@localhost"

    def _url(self, account: BrokerAccount) -> str:
        return broker_accounts.amqp_url(account, self.layout.secret, host=HOST, port=self.port)

    @property
    def url(self) -> str:
        """The operator's: ecomctl's own account."""
        return self._url(broker_accounts.operator_account(self.stack))

    def service_url(self, service: Service) -> str | None:
        account = broker_accounts.service_account(self.stack, service)
        return self._url(account) if account else None

    @property
    def _definitions_file(self):
        return self.directory / "definitions.json"

    @property
    def _default_account_removed(self):
        return self.directory / "guest-removed"

    def prepare(self) -> None:
        for name in ("mnesia", "log", "home"):
            (self.directory / name).mkdir(parents=True, exist_ok=True)
        cookie = self.directory / "home" / ".erlang.cookie"
        cookie.unlink(missing_ok=True)
        cookie.write_text(self._cookie())
        cookie.chmod(0o400)  # Erlang refuses a cookie others can read
        # Accounts, permissions and the exchanges are loaded at every boot, before the node
        # takes connections; with definitions to load, a new node creates no guest account.
        definitions = broker_accounts.definitions(self.stack, broker_accounts.accounts(self.stack), self.layout.secret)
        self._definitions_file.write_text(json.dumps(definitions, indent=2))
        self._definitions_file.chmod(0o600)
        (self.directory / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = {HOST}:{self.port}\nload_definitions = {self._definitions_file}\n"
        )
        (self.directory / "enabled_plugins").write_text("[].\n")
        # Our own (empty) env file: the host's may name the host's node.
        (self.directory / "rabbitmq-env.conf").write_text("")
        hand_over(self.directory, self.account)
        ensure_writable_by(self.directory / "mnesia", self.account)

    def remove_default_account(self) -> None:
        """A node made before it had definitions still has guest; delete it once."""
        if self._default_account_removed.exists():
            return
        result = self.rabbitmqctl("delete_user", DEFAULT_ACCOUNT)
        if result.returncode != 0 and not _does_not_exist(result.stdout + result.stderr):
            raise ExternalServerError(
                f"The private RabbitMQ node's default account {DEFAULT_ACCOUNT!r} could not be deleted: "
                f"{(result.stderr or result.stdout).strip()[-300:]}",
                "Run `ecomctl down --volumes` and `ecomctl up` to start the node afresh.",
            )
        self._default_account_removed.touch()

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
        return subprocess.run(
            command,
            env={**os.environ, **self.environment()},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def stop_port_mapper(self) -> None:
        """The node starts its own epmd, which outlives it; end it with the node."""
        epmd = shutil.which("epmd") or "/usr/lib/erlang/bin/epmd"
        if shutil.which(epmd):
            subprocess.run([epmd, "-port", str(self.epmd_port), "-kill"], capture_output=True, check=False, timeout=10)


class ExternalRabbitMQ:
    """The stack's own vhost on a broker the user runs; the URL's vhost when it names one.
    The URL's account is the operator's; each service with events gets an account of its
    own, named after the vhost, since accounts belong to the broker, not to a vhost."""

    def __init__(self, url: str, vhost: str, stack: Stack, layout: StateLayout):
        self.given_url = url
        address = urlsplit(url)
        named = unquote(address.path.lstrip("/"))
        self.vhost = named if named and named != "/" else vhost
        self.url = urlunsplit(address._replace(path="/" + quote(self.vhost, safe="")))
        self.user, self.password = address.username or "guest", address.password or "guest"
        self.host = address.hostname or HOST
        self.port = address.port or 5672
        self.stack, self.layout = stack, layout

    def service_url(self, service: Service) -> str | None:
        account = broker_accounts.service_account(self.stack, service, prefix=self.vhost)
        if account is None:
            return None
        return broker_accounts.amqp_url(account, self.layout.secret, host=self.host, port=self.port, vhost=self.vhost)

    def prepare(self) -> None:
        """Create the vhost and let the operator in; give each service with events its
        account and permissions; declare the operator's exchanges over AMQP."""
        vhost = quote(self.vhost, safe="")
        self._api("PUT", f"vhosts/{vhost}", {})
        self._api(
            "PUT", f"permissions/{vhost}/{quote(self.user, safe='')}", {"configure": ".*", "write": ".*", "read": ".*"}
        )
        accounts = broker_accounts.service_accounts(self.stack, prefix=self.vhost)
        definitions = broker_accounts.definitions(self.stack, accounts, self.layout.secret, vhost=self.vhost)
        for user in definitions["users"]:
            self._api("PUT", f"users/{quote(user['name'], safe='')}", user)
        for permission in definitions["permissions"]:
            self._api("PUT", f"permissions/{vhost}/{quote(permission['user'], safe='')}", permission)
        broker_accounts.declare_topology(self.url, definitions)

    def drop(self) -> None:
        self._api("DELETE", f"vhosts/{quote(self.vhost, safe='')}", None)
        for account in broker_accounts.service_accounts(self.stack, prefix=self.vhost):
            self._api("DELETE", f"users/{quote(account.user, safe='')}", None)

    def _api(self, method: str, path: str, body: dict | None) -> None:
        """The management HTTP API, else rabbitmqctl on this host, else a clear error."""
        request = urllib.request.Request(
            f"http://{self.host}:15672/api/{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Content-Type": "application/json",
                "Authorization": "Basic " + b64encode(f"{self.user}:{self.password}".encode()).decode(),
            },
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
        """The same request as rabbitmqctl commands on this host."""
        kind, name = path.split("/")[0], unquote(path.split("/")[-1])
        if method == "DELETE":
            attempts = [["delete_vhost", self.vhost] if kind == "vhosts" else ["delete_user", name]]
        elif kind == "vhosts":
            attempts = [["add_vhost", self.vhost]]
        elif kind == "permissions":
            if body is None:
                raise ValueError(f"{method} {path} needs the permissions to set")
            attempts = [["set_permissions", "-p", self.vhost, name, body["configure"], body["write"], body["read"]]]
        else:
            # The CLI takes the password in clear and hashes it; an existing user gets it changed.
            password = next(
                self.layout.secret(account.secret)
                for account in broker_accounts.service_accounts(self.stack, prefix=self.vhost)
                if account.user == name
            )
            attempts = [["add_user", name, password], ["change_password", name, password]]
        ctl = prerequisites.find_binary("rabbitmqctl")
        if ctl is not None:
            for arguments in attempts:
                result = subprocess.run([ctl, *arguments], capture_output=True, text=True, timeout=30, check=False)
                output = result.stdout + result.stderr
                if (
                    result.returncode == 0
                    or (kind == "vhosts" and "already_exists" in output)
                    or (method == "DELETE" and _does_not_exist(output))
                ):
                    return
        raise ExternalServerError(
            f"The RabbitMQ vhost {self.vhost!r} and its accounts cannot be set up: the broker has no management "
            "API on port 15672 and rabbitmqctl cannot reach it.",
            "Enable the management plugin (rabbitmq-plugins enable rabbitmq_management) or run ecomctl where "
            "rabbitmqctl reaches the broker, with an account that may create users (the administrator tag).",
        )


def _scripts_dir():
    directory = prerequisites.rabbitmq_scripts_dir()
    if directory is None:
        raise PrerequisiteMissing("rabbitmq-server", prerequisites.check((prerequisites.RABBITMQ,))[0].install_command)
    return directory


def _does_not_exist(output: str) -> bool:
    return "no_such" in output or "does not exist" in output
