"""An operator's tools on a running stack: `ecomctl publish` (a raw message on the events
exchange), `ecomctl provider` (how the simulated payment provider behaves), `ecomctl token`
(an access token for curl, or a forged one) and `ecomctl manage` (a service's management
command, in its own environment)."""

from __future__ import annotations

import uuid

import typer

from ecomctl.broker.publish import publish_raw
from ecomctl.cli.runtime_choice import current_runtime
from ecomctl.cli.user_errors import friendly
from ecomctl.shop.api_client import ApiClient, ApiError, gateway_url
from ecomctl.shop.logins import admin_login, customer_login
from ecomctl.views import output

app = typer.Typer()

PROVIDER = "/payments/provider/"


@app.command()
@friendly
def publish(
    ctx: typer.Context,
    routing_key: str = typer.Argument(..., help="The event type it is routed by, e.g. order.created."),
    body: str = typer.Argument(..., help="The message body, sent as it is: a JSON envelope, or anything at all."),
    message_id: str = typer.Option(
        None,
        "--message-id",
        help="The AMQP message id (default: a new one). Consumers "
        "know a duplicate by the envelope's own id, in the body.",
    ),
):
    """Publish a raw message on the events exchange, as any client of the broker could:
    garbage shows dead-lettering, an envelope sent again shows the inbox at work."""
    runtime = current_runtime(ctx)
    message_id = message_id or str(uuid.uuid4())
    publish_raw(
        runtime.broker_url(), runtime.stack.events["exchange"], routing_key, body.encode(), message_id=message_id
    )
    output.console.print(f"published {routing_key} ({len(body.encode())} bytes, message id {message_id})")


@app.command()
@friendly
def provider(
    latency_ms: int = typer.Option(None, "--latency-ms", min=0, max=30_000, help="How long each charge takes."),
    failure_rate: float = typer.Option(
        None, "--failure-rate", min=0.0, max=1.0, help="The share of charges that fail as a provider outage (0 to 1)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Show how the simulated payment provider behaves, or change it (as the demo admin)."""
    admin = admin_login(ApiClient(gateway_url()))
    changes = {
        key: value for key, value in (("latency_ms", latency_ms), ("failure_rate", failure_rate)) if value is not None
    }
    current = admin.request("PATCH", PROVIDER, json=changes) if changes else admin.request("GET", PROVIDER)
    if as_json:
        output.print_json(current)
    else:
        output.console.print(
            f"payment provider: answers in {current['latency_ms']} ms, fails {current['failure_rate']:.0%} of charges"
        )


@app.command()
@friendly
def url(path: str = typer.Argument("", help="A path to append, e.g. /orders/.")):
    """Print the gateway's URL (with PATH), for curl: `curl "$(ecomctl url /catalog/products/)"`."""
    print(gateway_url().rstrip("/") + path)


@app.command()
@friendly
def token(
    who: str = typer.Option("alice", "--as", help="A demo customer, or admin."),
    forge: bool = typer.Option(False, "--forge", help="Sign the same claims with a key auth never published."),
):
    """Print an access token for curl (`-H "Authorization: Bearer $(ecomctl token)"`); with
    --forge, a copy signed by a key of this command's own under auth's key id, which every
    service must refuse."""
    api = ApiClient(gateway_url())
    caller = admin_login(api) if who == "admin" else customer_login(api, who)
    if caller.token is None:
        raise ApiError("auth answered the login without an access token.")
    print(forged(caller.token) if forge else caller.token)


def forged(genuine: str) -> str:
    """The genuine token's header and claims, signed with a fresh RSA key: what an attacker
    who can read a token, but not auth's private key, could make."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    header = jwt.get_unverified_header(genuine)
    claims = jwt.decode(genuine, options={"verify_signature": False})
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm=header.get("alg", "RS256"), headers={"kid": header.get("kid")})


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
@friendly
def manage(
    ctx: typer.Context,
    service: str = typer.Argument(..., help="The service whose manage.py runs."),
):
    """Run one of a service's management commands where the service runs, e.g.
    `ecomctl manage auth rotate_signing_key`; what follows the service is passed on."""
    runtime = current_runtime(ctx)
    if service not in runtime.stack.service_names:
        output.error(f"There is no service named {service!r}. Choose one of: {', '.join(runtime.stack.service_names)}.")
        raise typer.Exit(2)
    if not ctx.args:
        output.error(f"Name the management command to run, e.g. `ecomctl manage {service} help`.")
        raise typer.Exit(2)
    print(runtime.manage(service, list(ctx.args)), end="")
