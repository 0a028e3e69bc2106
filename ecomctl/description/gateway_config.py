"""Renders the NGINX gateway config (gateway/nginx.conf.j2) from the stack description."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ecomctl.description.stack_file import PROJECT_ROOT, Stack

TEMPLATE_DIR = PROJECT_ROOT / "gateway"
TEMPLATE_NAME = "nginx.conf.j2"


@dataclass(frozen=True)
class GatewayError:
    """An error NGINX answers itself, in the project's {"error", "detail"} shape."""

    status: int
    code: str
    detail: str
    nginx_status: int | None = None  # what NGINX calls it, when not a standard status


# Codes match the services' own (chassis.errors) so a client cannot tell who answered.
GATEWAY_ERRORS = (
    GatewayError(400, "bad_request", "The request could not be understood."),
    GatewayError(404, "not_found", "No such resource."),
    GatewayError(405, "method_not_allowed", "This method is not allowed here."),
    GatewayError(413, "too_large", "Request body is too large."),
    GatewayError(414, "uri_too_long", "The request URI is too long."),
    GatewayError(431, "headers_too_large", "A request header, or the headers together, are too large.", 494),
    GatewayError(429, "throttled", "Too many requests; slow down and retry shortly."),
    GatewayError(500, "internal_error", "Something went wrong in the gateway."),
    GatewayError(501, "not_implemented", "This transfer encoding is not supported."),
    GatewayError(502, "bad_gateway", "The service behind this path is not answering."),
    GatewayError(503, "service_unavailable", "The service behind this path is unavailable."),
    GatewayError(504, "gateway_timeout", "The service behind this path took too long to answer."),
    GatewayError(505, "http_version_not_supported", "Use HTTP/1.1 or HTTP/1.0."),
)

# Headers that claim who the caller is. Only a verified bearer token may say that, so a
# client-sent copy is dropped before any service could trust it.
IDENTITY_HEADERS = (
    "X-User",
    "X-User-Id",
    "X-User-Email",
    "X-User-Name",
    "X-User-Roles",
    "X-Roles",
    "X-Forwarded-User",
    "X-Forwarded-Email",
    "X-Forwarded-Groups",
    "X-Forwarded-Preferred-Username",
    "X-Authenticated-User",
    "X-Authenticated-Userid",
    "X-Authenticated-Scope",
    "X-Remote-User",
    "Remote-User",
    "X-Auth-User",
    "X-Auth-Request-User",
    "X-Auth-Request-Email",
    "X-Consumer-Id",
    "X-Consumer-Username",
    "X-Original-User",
    "X-Impersonate-User",
)

# Every value below lands verbatim in nginx.conf; these shapes leave no room for a
# ";" or "{" that would change the config's meaning.
_ADDRESS = re.compile(r"^[A-Za-z0-9._:\[\]-]+$")
_HOST = re.compile(r"^[A-Za-z0-9._-]+$")
_ROUTE = re.compile(r"^/[A-Za-z0-9._-]+/$")
_RATE = re.compile(r"^[1-9][0-9]*r/[sm]$")
_SIZE = re.compile(r"^[0-9]+[kKmM]?$")
_RATE_LIMIT_KEYS = ("per_client", "per_client_burst", "token", "token_burst")


class GatewayConfigError(ValueError):
    """The stack description or the runtime's arguments cannot make a valid gateway config."""


def render_gateway_config(
    stack: Stack,
    *,
    upstreams: dict[str, tuple[str, int]],
    listen: str,
    runtime_dir: Path | None = None,
    resolver: str | None = None,
) -> str:
    """Return a complete nginx.conf routing each service's routes to its upstream.

    `upstreams` maps every service name to the (host, port) the gateway reaches it at;
    `runtime_dir`, when given, receives the pid file, logs and temp files, so an
    unprivileged user can run the config with `nginx -c FILE -p PREFIX`; `resolver`, when
    given, is the DNS server upstream names are looked up with at request time.
    """
    if resolver is not None and not _ADDRESS.match(resolver):
        raise GatewayConfigError(f"Gateway resolver {resolver!r} must be an IP address.")
    if not _ADDRESS.match(listen):
        raise GatewayConfigError(f"Gateway listen address {listen!r} must look like 8080 or 127.0.0.1:8080.")
    context = {
        "listen": listen,
        "services": _services(stack, upstreams),
        "client_max_body_size": _body_size(stack),
        "rate_limits": _rate_limits(stack),
        "runtime_dir": _runtime_dir(runtime_dir),
        "resolver": resolver,
        "errors": GATEWAY_ERRORS,
        "identity_headers": IDENTITY_HEADERS,
        "unsafe": ",".join(stack.unsafe),
    }
    return _environment().get_template(TEMPLATE_NAME).render(context)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is nginx.conf, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _services(stack: Stack, upstreams: dict[str, tuple[str, int]]) -> list[dict]:
    unknown = sorted(set(upstreams) - set(stack.service_names))
    if unknown:
        raise GatewayConfigError(f"Upstreams name services missing from stack.yaml: {', '.join(unknown)}.")
    services = []
    for service in stack.services:
        if service.name not in upstreams:
            raise GatewayConfigError(f"No upstream address given for service {service.name!r}.")
        host, port = upstreams[service.name]
        if not _HOST.match(str(host)) or not isinstance(port, int) or not 0 < port < 65536:
            raise GatewayConfigError(
                f"Upstream for {service.name!r} must be a host name or IPv4 address and a port 1-65535, "
                f"got {host}:{port}."
            )
        for route in service.routes:
            if not _ROUTE.match(route):
                raise GatewayConfigError(
                    f"stack.yaml services.{service.name}.routes entry {route!r} must look like /{service.name}/."
                )
        services.append({"name": service.name, "host": host, "port": port, "routes": service.routes})
    return services


def _body_size(stack: Stack) -> str:
    size = stack.gateway.client_max_body_size
    if not _SIZE.match(size):
        raise GatewayConfigError(f"stack.yaml gateway.client_max_body_size {size!r} must be a size such as 64k or 1m.")
    return size


def _rate_limits(stack: Stack) -> dict[str, str | int]:
    limits = stack.gateway.rate_limits
    missing = [key for key in _RATE_LIMIT_KEYS if key not in limits]
    if missing:
        raise GatewayConfigError(f"stack.yaml gateway.rate_limits is missing {', '.join(missing)}.")
    for key in ("per_client", "token"):
        if not _RATE.match(str(limits[key])):
            raise GatewayConfigError(
                f"stack.yaml gateway.rate_limits.{key} {limits[key]!r} must be a rate such as 20r/s or 300r/m."
            )
    for key in ("per_client_burst", "token_burst"):
        if not isinstance(limits[key], int) or isinstance(limits[key], bool) or limits[key] < 1:
            raise GatewayConfigError(  # NGINX refuses a burst of 0
                f"stack.yaml gateway.rate_limits.{key} {limits[key]!r} must be a whole number of requests, 1 or more."
            )
    return {**{key: limits[key] for key in _RATE_LIMIT_KEYS}, "retry_after": _retry_after(limits)}


def _retry_after(limits: dict) -> int:
    """Seconds after which a throttled client is allowed one request again, under the
    stricter of the two limits: what a 429's Retry-After tells it to wait."""
    intervals = []
    for key in ("per_client", "token"):
        rate = re.fullmatch(r"(\d+)r/([sm])", str(limits[key]))
        if rate is None:
            raise GatewayConfigError(
                f"stack.yaml gateway.rate_limits.{key} {limits[key]!r} must be a rate such as 20r/s or 300r/m."
            )
        count, unit = rate.groups()
        intervals.append((60 if unit == "m" else 1) / max(int(count), 1))
    return max(1, math.ceil(max(intervals)))


def _runtime_dir(runtime_dir: Path | None) -> str | None:
    if runtime_dir is None:
        return None
    resolved = str(Path(runtime_dir).resolve())
    if re.search(r"[\s;{}'\"\\$#]", resolved):
        raise GatewayConfigError(
            f"Gateway runtime directory {resolved!r} must not contain spaces, quotes or any of ; {{ }} $ #."
        )
    return resolved
