"""Errors a user can fix, each one sentence saying what is wrong and how to fix it.

RuntimeProblem
├── PrerequisiteMissing     a binary the runtime needs is not installed
├── PortInUse               a port the stack needs is taken by another process
├── StackNotRunning         an action needs a running stack
├── UnknownComponent        a component name the stack does not have
├── StateDirectoryUnusable  the state directory cannot be used by the accounts that need it
├── ExternalServerError     a PostgreSQL or RabbitMQ given by URL cannot be prepared
├── StartupFailed           a component exited or never became healthy
├── ManagementCommandFailed a service's management command exited with an error
└── RuntimeUnavailable      the chosen runtime cannot run here
"""

from __future__ import annotations


class RuntimeProblem(Exception):
    """A problem the user can fix; str() is the whole message, fix included."""

    def __init__(self, problem: str, fix: str):
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem} {fix}")


class PrerequisiteMissing(RuntimeProblem):
    def __init__(self, binary: str, install: str):
        self.binary = binary
        super().__init__(f"{binary} is not installed.", f"Install it with: {install}")


class PortInUse(RuntimeProblem):
    def __init__(self, port: int, process: str | None, setting: str):
        self.port = port
        self.process = process
        holder = f" by {process}" if process else ""
        super().__init__(
            f"Port {port} is already in use{holder}.",
            f"Stop that process or choose another port with {setting}.",
        )


class StackNotRunning(RuntimeProblem):
    def __init__(self):
        super().__init__("The stack is not running.", "Start it with `ecomctl up`.")


class UnknownComponent(RuntimeProblem):
    def __init__(self, name: str, valid: list[str]):
        self.name = name
        self.valid = valid
        super().__init__(f"There is no component named {name!r}.", f"Choose one of: {', '.join(valid)}.")


class StateDirectoryUnusable(RuntimeProblem):
    def __init__(self, directory: str, reason: str):
        self.directory = directory
        super().__init__(
            f"The state directory {directory} cannot be used: {reason}.",
            "Point ECOMLAB_STATE_DIR at a directory every account can reach, such as one under /var/tmp.",
        )


class ExternalServerError(RuntimeProblem):
    pass


class StartupFailed(RuntimeProblem):
    def __init__(self, component: str, reason: str, log_file: str | None = None):
        self.component = component
        where = f"Read {log_file} for details" if log_file else "Check its logs with `ecomctl logs`"
        super().__init__(f"{component} did not start: {reason}.", f"{where}, fix the cause and run the command again.")


class RuntimeUnavailable(RuntimeProblem):
    pass


class ManagementCommandFailed(RuntimeProblem):
    def __init__(self, service: str, arguments: list[str], output: str):
        last_line = output.splitlines()[-1] if output else "no output"
        super().__init__(
            f"`manage.py {' '.join(arguments[:1])}` failed in {service}: {last_line}",
            f"See `ecomctl logs {service}-web` and check the service's database is up.",
        )
