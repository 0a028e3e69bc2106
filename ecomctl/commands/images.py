"""`ecomctl images list|build|wheelhouse|export|import`: the docker runtime's images."""

from __future__ import annotations

from pathlib import Path

import typer

from ecomctl.cli.user_errors import friendly
from ecomctl.description.stack_file import PROJECT_ROOT, default_stack
from ecomctl.runtime.docker import archive
from ecomctl.runtime.docker.build import ensure_images
from ecomctl.runtime.docker.engine import connected
from ecomctl.runtime.docker.images import image_set
from ecomctl.runtime.docker.wheelhouse import stage_wheelhouse, wheelhouse_cache
from ecomctl.views import output
from ecomctl.views.stack import UpProgress

app = typer.Typer(help="The images the docker runtime runs.", no_args_is_help=True)


@app.command("list")
@friendly
def list_images(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Every image the stack needs and whether the engine has it."""
    with connected() as client:
        rows = [
            {"image": name, "present": bool(client.images.list(name=name))}
            for name in archive.stack_images(image_set(default_stack()))
        ]
    if as_json:
        output.print_json(rows)
    else:
        for row in rows:
            output.console.print(f"{'present' if row['present'] else 'missing':8} {row['image']}")


@app.command()
@friendly
def build():
    """Build the service images whose inputs changed (what `up` does first)."""
    stack = default_stack()
    with connected() as client, UpProgress() as progress:
        ensure_images(client, stack, image_set(stack), wheelhouse_cache(), progress)


@app.command()
@friendly
def wheelhouse(directory: Path = typer.Option(PROJECT_ROOT / "wheelhouse", "--dir", help="Where to put the wheels.")):
    """Download every wheel the service images install, for builds that cannot reach PyPI
    (`docker compose up --build` installs from ./wheelhouse when it holds wheels)."""
    with connected() as client:
        architecture = client.info().get("Architecture", "x86_64")
    staged = stage_wheelhouse(default_stack(), wheelhouse_cache(), architecture)
    directory.mkdir(parents=True, exist_ok=True)
    wheels = sorted(staged.glob("*.whl"))
    for wheel in wheels:
        (directory / wheel.name).write_bytes(wheel.read_bytes())
    output.console.print(f"{len(wheels)} wheels in {directory}")


@app.command("export")
@friendly
def export_images(path: Path = typer.Argument(..., help="The archive to write, e.g. ecomlab-images.tar.")):
    """Write every image the stack needs into one archive."""
    with connected() as client:
        names = archive.export_images(client, image_set(default_stack()), path)
    output.console.print(f"{len(names)} images in {path}")


@app.command("import")
@friendly
def import_images(path: Path = typer.Argument(..., help="An archive written by `ecomctl images export`.")):
    """Load the images of an archive into the engine."""
    with connected() as client:
        loaded = archive.import_images(client, path)
    for name in loaded:
        output.console.print(f"loaded {name}")
