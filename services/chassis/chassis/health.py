"""Liveness (the process answers) and readiness (it can reach its own database) views."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.urls import path

from chassis import switches


def live(request):
    return JsonResponse(_with_switches({"status": "ok"}))


def ready(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any database failure means: do not send me traffic
        return JsonResponse(
            _with_switches({"status": "unavailable", "checks": {"database": f"unreachable: {type(exc).__name__}"}}),
            status=503,
        )
    return JsonResponse(_with_switches({"status": "ok", "checks": {"database": "ok"}}))


def _with_switches(body: dict) -> dict:
    """A service running with a safeguard off says so wherever it is asked how it is."""
    unsafe = sorted(switches.switched_on())
    return {**body, "unsafe": unsafe} if unsafe else body


urlpatterns = [
    path("health/live/", live, name="health-live"),
    path("health/ready/", ready, name="health-ready"),
]
