"""Liveness (/healthz: the process answers) and readiness (/readyz: the database answers within
READY_TIMEOUT_MS) probes for load balancers and orchestrators. No authentication, no session,
tiny JSON bodies; a failing probe is a 503 with Retry-After. Where a read replica is set
(core/dbrouter.py), /readyz also shows its replay lag in seconds -- or that it is unavailable,
which leaves the portal ready: reads then go to the primary."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from core import conf as core_conf

from . import conf

__all__ = ["healthz", "readyz", "check_database", "replica_status"]

PROBE_SQL = "SELECT 1"
# Seconds the replica's replay is behind the primary (0 when it has replayed all it received).
LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() "
    "THEN 0 ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END, "
    "pg_is_in_recovery()"
)


def replica_status() -> dict | None:
    """{"status", "lag_seconds", "streaming"} of the read replica; None where none is set."""
    if "replica" not in settings.DATABASES:
        return None
    try:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [conf.READY_TIMEOUT_MS])
            cursor.execute(LAG_SQL)
            lag, in_recovery = cursor.fetchone()
    except DatabaseError as exc:
        connections["replica"].close()
        return {"status": "unavailable", "error": type(exc).__name__}
    return {"status": "ok", "lag_seconds": round(float(lag or 0), 3), "streaming": in_recovery}


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
    body = {"status": "ok", "database": "ok", "database_ms": took}
    replica = replica_status()
    if replica is not None:
        body["replica"] = replica
    return JsonResponse(body)
