"""`ecomctl compose export`: the compose file and gateway config, generated from stack.yaml."""

from __future__ import annotations

from pathlib import Path

import typer

from ecomctl.cli.user_errors import friendly
from ecomctl.description.stack_file import PROJECT_ROOT, default_stack
from ecomctl.runtime.docker.compose import COMPOSE_DIR, render_compose
from ecomctl.views import output

app = typer.Typer(help="The docker-compose file generated from stack.yaml.", no_args_is_help=True)


@app.command("export")
@friendly
def export(directory: Path = typer.Option(PROJECT_ROOT / COMPOSE_DIR, "--dir", help="Where to write the files.")):
    """Write docker-compose.yml and the gateway's nginx.conf for `docker compose up --build`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in render_compose(default_stack()).items():
        (directory / name).write_text(content)
        output.console.print(f"wrote {directory / name}")
