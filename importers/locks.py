"""One import at a time per layer: a PostgreSQL advisory lock named by the layer's slug, held
for the whole import (reading, the swap and its commit). A second import of the same layer, or
a second upload creating the same new layer, gets a clear 409 instead of waiting or of a
"duplicate key value" from the unique slug."""

from __future__ import annotations

import zlib
from contextlib import contextmanager

from django.db import connection

from .errors import ImportFailed

__all__ = ["import_running", "layer_busy", "layer_lock"]

LOCK_CLASS = 20_0001  # the first key of the two-key advisory lock: "a layer's import"


def _key(slug: str) -> int:
    return zlib.crc32(slug.encode()) - (1 << 31)  # an int4, the second key


def import_running(slug: str, label: str | None = None) -> ImportFailed:
    return ImportFailed(
        f"{label + ': ' if label else ''}an import of layer {slug!r} is running; "
        "try again when it has finished",
        code="import-running",
        status=409,
    )


@contextmanager
def layer_lock(slug: str, label: str | None = None):
    """Hold the layer's import lock for the block, or raise import_running at once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, _key(slug)])
        if not cursor.fetchone()[0]:
            raise import_running(slug, label)
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, _key(slug)])
        except Exception:  # noqa: BLE001 - a lost connection took the lock with it
            connection.close()


def layer_busy(slug: str) -> bool:
    """Whether an import of ``slug`` holds the lock now (for a 409 before a job starts)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, _key(slug)])
        free = cursor.fetchone()[0]
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, _key(slug)])
    return not free
