"""Liveness (/healthz: the process answers) and readiness (/readyz: the database answers within
READY_TIMEOUT_MS) probes for load balancers and orchestrators. No authentication, no session,
tiny JSON bodies; a failing probe is a 503 with Retry-After."""

from __future__ import annotations

import time

from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from core import conf as core_conf

from . import conf

__all__ = ["healthz", "readyz", "check_database"]

PROBE_SQL = "SELECT 1"


def check_database() -> float:
    """Round-trip one query under a statement timeout; return its duration in ms."""
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = %s", [conf.READY_TIMEOUT_MS])
        cursor.execute(PROBE_SQL)
        cursor.fetchone()
    return round((time.perf_counter() - started) * 1000, 1)


@csrf_exempt  # a probe is never a form post: a POST is a 405, not a CSRF 403
@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@csrf_exempt  # a probe is never a form post: a POST is a 405, not a CSRF 403
@never_cache
@require_GET
def readyz(request):
    try:
        took = check_database()
    except DatabaseError as exc:
        response = JsonResponse(
            {"status": "unavailable", "database": "unavailable", "error": type(exc).__name__},
            status=503,
        )
        response["Retry-After"] = str(core_conf.RETRY_AFTER)
        return response
    return JsonResponse({"status": "ok", "database": "ok", "database_ms": took})
