"""Liveness (the process answers) and readiness (it can reach its own database) views."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.urls import path


def live(request):
    return JsonResponse({"status": "ok"})


def ready(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any database failure means: do not send me traffic
        return JsonResponse(
            {"status": "unavailable", "checks": {"database": f"unreachable: {type(exc).__name__}"}},
            status=503,
        )
    return JsonResponse({"status": "ok", "checks": {"database": "ok"}})


urlpatterns = [
    path("health/live/", live, name="health-live"),
    path("health/ready/", ready, name="health-ready"),
]
