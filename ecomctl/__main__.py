"""`python -m ecomctl` runs the CLI."""

from ecomctl.main import app

app(prog_name="ecomctl")
