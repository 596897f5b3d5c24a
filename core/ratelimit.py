"""Token buckets shared by every worker and machine of the portal, for anonymous heavy requests
(exports, large WFS GetFeature / OGC API items pages) and report intake. Authenticated callers
are not limited by ``charge``. The IP is core.clientip's: the client's, also behind a trusted
reverse proxy.

A bucket is a row of the UNLOGGED table ``core_ratebucket`` (core/migrations/0001), and one
take is one atomic ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` timed by the database's
clock, so concurrent workers cannot both spend the last token and machines with skewed clocks
agree. A take commits at once in autocommit (ATOMIC_REQUESTS is off); called inside
``transaction.atomic()`` it shares the block's fate, so callers charge before they open one
(report intake does). A crash of PostgreSQL empties the table: every bucket is full again.
"""

from __future__ import annotations

import math
import random

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils.translation import gettext as _

from .clientip import client_ip
from .conf import setting
from .errors import RateLimited

__all__ = ["RateLimited", "charge", "reset", "take"]

# Anonymous heavy requests per client IP: bucket size and refill (requests a minute).
CAPACITY = float(setting("GEOPORTAL_HEAVY_BURST", 10.0))
REFILL_PER_SECOND = float(setting("GEOPORTAL_HEAVY_PER_MINUTE", 10.0)) / 60
STALE = "1 day"  # untouched this long, a bucket is full again (every bucket refills sooner)
PURGE_CHANCE = 0.002  # a take sometimes deletes stale rows, so the table stays small

# %(cap)s, %(rate)s, %(cost)s; "refilled" is the bucket's tokens now, before this take.
_REFILLED = "LEAST(%(cap)s, b.tokens + %(rate)s * EXTRACT(EPOCH FROM clock_timestamp() - b.stamp))"
_TAKE = f"""
INSERT INTO core_ratebucket AS b (key, tokens, stamp, granted)
VALUES (%(key)s, CASE WHEN %(cap)s >= %(cost)s THEN %(cap)s - %(cost)s ELSE %(cap)s END,
        clock_timestamp(), %(cap)s >= %(cost)s)
ON CONFLICT (key) DO UPDATE SET
    tokens = CASE WHEN {_REFILLED} >= %(cost)s THEN {_REFILLED} - %(cost)s ELSE {_REFILLED} END,
    stamp = clock_timestamp(),
    granted = {_REFILLED} >= %(cost)s
RETURNING tokens, granted
"""


def take(key: str, capacity: float, per_second: float, cost: float = 1.0) -> int | None:
    """Take ``cost`` tokens from bucket ``key`` (full at ``capacity``, refilled at
    ``per_second``); None when taken, else the whole seconds to wait (nothing is taken)."""
    params = {"key": key, "cap": float(capacity), "rate": float(per_second), "cost": float(cost)}
    with connection.cursor() as cur:
        if random.random() < PURGE_CHANCE:
            cur.execute(
                "DELETE FROM core_ratebucket WHERE stamp < clock_timestamp() - %s::interval",
                [STALE],
            )
        cur.execute(_TAKE, params)
        tokens, granted = cur.fetchone()
    if granted:
        return None
    return max(1, math.ceil((cost - tokens) / per_second))


def reset(prefix: str = "") -> None:
    """Empty the buckets whose key starts with ``prefix`` (all of them by default): every one
    is full again, at once for every worker. For tests and for an operator who lifts a limit.

    It runs on a connection of its own, committed whatever transaction the caller is in (a
    test's rolled-back one included), so it never holds a bucket's row lock for the caller."""
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with own.cursor() as cur:
            cur.execute("DELETE FROM core_ratebucket WHERE starts_with(key, %s)", [prefix])
    finally:
        own.close()


def charge(request, cost: float = 1.0, scope: str = "heavy") -> None:
    """Take ``cost`` tokens for an anonymous ``request``; raise RateLimited when empty."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return
    key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}"
    retry = take(key, CAPACITY, REFILL_PER_SECOND, cost)
    if retry is not None:
        raise RateLimited(
            _("Забагато важких запитів. Повторіть за %(s)s с або увійдіть із токеном.")
            % {"s": retry},
            retry_after=retry,
        )
