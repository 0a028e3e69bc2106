"""`ecomctl doctor`: is everything the stack needs installed, and how to install what is not."""

from __future__ import annotations

import typer

from ecomctl.runtime import prerequisites
from ecomctl.views import output
from ecomctl.views.stack import prerequisite_table

app = typer.Typer()


@app.command()
def doctor(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Check Python, NGINX, PostgreSQL, RabbitMQ, Docker and its engine; print how to get each missing one."""
    checks = prerequisites.check()
    if as_json:
        output.print_json(checks)
    else:
        prerequisite_table(checks)
    # Docker is only needed for the docker runtime; the local runtime needs the rest.
    local_missing = [
        check for check in checks if not check.found and check.prerequisite not in prerequisites.DOCKER_RUNTIME
    ]
    raise typer.Exit(1 if local_missing else 0)
