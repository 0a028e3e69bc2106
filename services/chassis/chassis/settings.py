"""Settings helpers: read typed values from the environment and build the settings every
service shares, so each service's settings module says only what is its own."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from chassis import switches


def env(name: str, default: str | None = None) -> str:
    """The variable's value, else the default; without a default the variable must be set."""
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Django DATABASES entry from postgres://user:password@host:port/name?options."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be a postgres:// URL, not {url!r}.")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database.")
    return {
        "ENGINE": "chassis.postgres",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Long-lived consumers and relays must notice a restarted database server (the
        # chassis backend checks a kept connection without a round trip when it can).
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(parse_qsl(parts.query)),
        "TEST": {"NAME": f"test_{name}"},
    }


def service_apps(*apps: str, messaging: bool = True) -> list[str]:
    """INSTALLED_APPS of a service: what the chassis needs, chassis.messaging for a service
    that publishes or consumes events, then the service's own apps."""
    return [
        "django.contrib.contenttypes",
        "rest_framework",
        "chassis",
        "drf_spectacular",
        *(["chassis.messaging"] if messaging else []),
        *apps,
    ]


def common_settings(*, service: str) -> dict:
    """Settings every service shares; a service's settings module merges these in and
    adds its own apps (service_apps) and urls (chassis.urls)."""
    debug = env_bool("DJANGO_DEBUG", False)
    # The contracts ship beside the code (/app/contracts in an image); ecomctl and the test
    # plugin point local processes at the repository's.
    contracts = env("EVENT_CONTRACTS_DIR")
    return {
        "SERVICE_NAME": service,
        "DEBUG": debug,
        # Each service has its own key; nothing is signed with it across services.
        "SECRET_KEY": env("DJANGO_SECRET_KEY"),
        "ALLOWED_HOSTS": env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", service]),
        "DATABASES": {
            "default": database_from_url(env("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/ecomlab_{service}"))
        },
        "MIDDLEWARE": [
            "chassis.correlation.CorrelationIdMiddleware",
            "chassis.boundary.RejectUnreadableText",
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.common.CommonMiddleware",
        ],
        "ROOT_URLCONF": "config.urls",
        "WSGI_APPLICATION": "config.wsgi.application",
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "LANGUAGE_CODE": "en-us",
        "APPEND_SLASH": False,
        # A request body over this size is refused with 413 before a view sees it.
        "DATA_UPLOAD_MAX_MEMORY_SIZE": env_int("MAX_REQUEST_BODY_BYTES", 64 * 1024),
        "REST_FRAMEWORK": {
            "DEFAULT_AUTHENTICATION_CLASSES": ["chassis.authentication.JWTAuthentication"],
            "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
            "DEFAULT_PARSER_CLASSES": ["chassis.parsers.JSONParser"],
            "DEFAULT_PAGINATION_CLASS": "chassis.pagination.Pagination",
            "PAGE_SIZE": 20,
            "EXCEPTION_HANDLER": "chassis.errors.exception_handler",
            "DEFAULT_SCHEMA_CLASS": "chassis.schema.AutoSchema",
            "UNAUTHENTICATED_USER": None,
        },
        "SPECTACULAR_SETTINGS": {
            "TITLE": f"ecomlab {service} service",
            "VERSION": "1.0.0",
            "SERVE_INCLUDE_SCHEMA": False,
            # Read-only fields (ids, timestamps) belong to answers, not to what a client sends.
            "COMPONENT_SPLIT_REQUEST": True,
        },
        "JWT_ISSUER": env("JWT_ISSUER", "ecomlab-auth"),
        "JWT_AUDIENCE": env("JWT_AUDIENCE", "ecomlab"),
        "AUTH_JWKS_URL": env("AUTH_JWKS_URL", "http://127.0.0.1:8001/auth/.well-known/jwks.json"),
        "LOGGING": logging_settings(service=service),
        **messaging_settings(),
        # Safeguards switched off for teaching (chassis.switches); none unless ecomctl asks.
        "UNSAFE_SWITCHES": switches.parse(env(switches.VARIABLE, ""), contracts=Path(contracts)),
        "EVENT_CONTRACTS_DIR": contracts,
    }


def messaging_settings() -> dict:
    """Broker and event settings, each overridable by the environment variable of its name;
    only services that add chassis.messaging use them."""
    from chassis.messaging.config import DEFAULTS

    readers: dict[type, Callable[[str, Any], str | int | float]] = {str: env, int: env_int, float: env_float}
    return {
        name: readers[type(default)](name, default)
        for name, default in DEFAULTS.items()
        if type(default) in readers  # EVENT_CONSUMERS is code, not configuration
    }


def logging_settings(*, service: str) -> dict:
    level = env("LOG_LEVEL", "INFO")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"correlation": {"()": "chassis.correlation.CorrelationIdFilter"}},
        "formatters": {"json": {"()": "chassis.logging.JsonFormatter", "service": service}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["correlation"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "django": {"level": level},
            "pika": {"level": "WARNING"},
        },
    }
