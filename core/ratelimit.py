"""A small per-IP token bucket in Django's cache for anonymous heavy requests (exports, large
WFS GetFeature / OGC API items pages) and report intake. Authenticated callers are not limited
by ``charge``. The IP is core.clientip's: the client's, also behind a trusted reverse proxy.

With the default local-memory cache the bucket is per worker process; configure a shared
cache (e.g. Redis or the database cache) to make it per server.
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from .clientip import client_ip
from .errors import RateLimited

__all__ = ["RateLimited", "charge", "take"]

CAPACITY = 10.0  # tokens
REFILL_PER_SECOND = 10.0 / 60  # 10 heavy requests a minute on average


def take(key: str, capacity: float, per_second: float, cost: float = 1.0) -> int | None:
    """Take ``cost`` tokens from bucket ``key`` (full at ``capacity``, refilled at
    ``per_second``); None when taken, else the whole seconds to wait (nothing is taken)."""
    now = time.time()
    tokens, stamp = cache.get(key, (capacity, now))
    tokens = min(capacity, tokens + (now - stamp) * per_second)
    if tokens < cost:
        cache.set(key, (tokens, now), 3600)
        return math.ceil((cost - tokens) / per_second)
    cache.set(key, (tokens - cost, now), 3600)
    return None


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
