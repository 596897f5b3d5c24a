"""Reads from a PostgreSQL streaming replica: a Django database router, off unless
GEOPORTAL_REPLICA_URL names the replica (settings.py then adds the ``replica`` alias and this
router).

Which reads: GET/HEAD requests whose path starts with one of GEOPORTAL_REPLICA_PATHS (tiles, WFS,
OGC API, search, the map's layer API and the map page) read through the ``replica`` alias;
everything else -- writes, forms, the admin, management commands, tests -- uses the primary.
Reads right after a write stay on the primary: a write pins the rest of its request to it, and
the caller (session cookie, API token, or address) for GEOPORTAL_REPLICA_STICKY_SECONDS, noted as
a file's mtime under the shared tile-cache directory so every worker on the machine sees it.

A replica that does not answer (stopped, restarting, unreachable) is checked at the start of each
eligible request (Django's connection health check plus a connect with a short timeout) and
then left alone for GEOPORTAL_REPLICA_RETRY_SECONDS: reads fall back to the primary with no
error. Lives in core (not layers): it routes by request, not by what the data are.
"""

from __future__ import annotations

import hashlib
import os
import time
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connections
from django.http import parse_cookie

from .conf import setting

__all__ = ["REPLICA", "ReplicaRouter", "replica_down_until", "reset", "using_replica"]

REPLICA = "replica"
# Path prefixes whose GET/HEAD requests read from the replica ("/" alone: the map page only).
PATHS = setting(
    "GEOPORTAL_REPLICA_PATHS",
    ["/tiles/", "/wfs", "/ogc", "/api/v1/search", "/api/v1/layers", "/"],
)
# Seconds a caller's reads stay on the primary after they wrote.
STICKY_SECONDS = float(setting("GEOPORTAL_REPLICA_STICKY_SECONDS", 5.0))
# Seconds a replica that did not answer is not tried again (reads go to the primary).
RETRY_SECONDS = float(setting("GEOPORTAL_REPLICA_RETRY_SECONDS", 10.0))
_TILE_DIR = setting("GEOPORTAL_TILE_CACHE_DIR", str(settings.BASE_DIR / "var" / "tiles"))
STICKY_DIR = Path(_TILE_DIR) / ".recent-writes"

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)
_caller: ContextVar[str] = ContextVar("replica_caller", default="")
_down_until = [0.0]


def using_replica() -> bool:
    """Whether this request's reads go to the replica now."""
    return _use_replica.get()


def replica_down_until() -> float:
    return _down_until[0]


def reset() -> None:
    _use_replica.set(False)
    _caller.set("")
    _down_until[0] = 0.0


def _eligible_path(path: str) -> bool:
    return any(path == p if p == "/" else path.startswith(p) for p in PATHS)


def _caller_key(environ) -> str:
    cookie = parse_cookie(environ.get("HTTP_COOKIE", "")).get(settings.SESSION_COOKIE_NAME, "")
    who = cookie or environ.get("HTTP_AUTHORIZATION", "") or environ.get("REMOTE_ADDR", "")
    return hashlib.sha256(who.encode()).hexdigest()[:32]


def _wrote_recently(key: str) -> bool:
    try:
        return time.time() - os.stat(STICKY_DIR / key).st_mtime < STICKY_SECONDS
    except OSError:
        return False


def _note_write(key: str) -> None:
    if not key:
        return
    try:
        STICKY_DIR.mkdir(parents=True, exist_ok=True)
        (STICKY_DIR / key).touch()
    except OSError:
        pass  # stickiness is then per request only


def replica_answers() -> bool:
    """Whether the replica answers now (False, and not tried for RETRY_SECONDS, if not)."""
    if time.monotonic() < _down_until[0]:
        return False
    conn = connections[REPLICA]
    try:
        conn.close_if_health_check_failed()
        conn.ensure_connection()
        return True
    except DatabaseError:
        conn.close()
        _down_until[0] = time.monotonic() + RETRY_SECONDS
        return False


def _started(sender, environ=None, **kwargs):
    environ = environ or {}
    key = _caller_key(environ)
    _caller.set(key)
    _use_replica.set(
        REPLICA in settings.DATABASES
        and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and _eligible_path(environ.get("PATH_INFO", ""))
        and not _wrote_recently(key)
        and replica_answers()
    )


def _finished(sender, **kwargs):
    _use_replica.set(False)
    _caller.set("")


request_started.connect(_started, dispatch_uid="core.dbrouter.started")
request_finished.connect(_finished, dispatch_uid="core.dbrouter.finished")


class ReplicaRouter:
    """Reads of an eligible request from ``replica``; every write, and every read after it in
    the same request, from ``default``."""

    def db_for_read(self, model, **hints):
        return REPLICA if _use_replica.get() else "default"

    def db_for_write(self, model, **hints):
        if _use_replica.get():
            _use_replica.set(False)
        _note_write(_caller.get())
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's WAL, migrations included
