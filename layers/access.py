"""Who may see which layer: one rule, used by every path (map, REST, WFS, OGC API, tiles,
exports, search), and a per-process cache of its answer for a session or an API token.

- anonymous and registered residents: public layers;
- staff (planners, dispatchers: ``is_staff``): public and staff-only layers;
- restricted layers: members of the layer's groups (GIS analysts with an API token are
  typically given access this way);
- superusers: everything.

Editing features (the web editor, WFS-T, REST PUT) is for those who see the layer and hold the
admin permission to change layers (planners, administrators): ``can_edit``.
The cache (``remember`` / ``cached``) holds, per credential (a session key or an API token,
hashed), the slugs its user may see, so a staff tile already in the tile cache is served with
no session, user, token or layer query (tiles.fastpath). An entry lives at most
``GEOPORTAL_ACCESS_CACHE_TTL`` seconds and never past its session's expiry; every change that can
alter an answer -- a layer's access or groups, a group, a user's membership, staff flag, active
flag or password, a token, a session ended -- calls ``invalidate``, which rewrites the marker
file ``GEOPORTAL_ACCESS_CACHE_MARKER`` that every process checks with one ``stat`` per lookup.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import user_logged_out
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.conf import setting

from .events import version_bumped
from .models import Access, Layer

__all__ = [
    "can_edit",
    "can_view",
    "cached",
    "credential",
    "invalidate",
    "remember",
    "visible_layers",
]

log = logging.getLogger(__name__)
# Seconds a credential's access decision may be reused (0: no cache, every request asks).
TTL = float(setting("GEOPORTAL_ACCESS_CACHE_TTL", 60.0))
# File whose change tells every process sharing it to drop its cached decisions; by default in
# the tile cache directory, which every process of a deployment shares already.
_TILE_DIR = setting("GEOPORTAL_TILE_CACHE_DIR", str(settings.BASE_DIR / "var" / "tiles"))
MARKER = setting("GEOPORTAL_ACCESS_CACHE_MARKER", str(Path(_TILE_DIR) / ".access-generation"))
MAX_ENTRIES = 10_000  # one entry per live session/token: a bound, not a tuning knob
_lock = threading.Lock()
_decisions: dict[str, tuple[object, float, frozenset[str]]] = {}  # key: (marker, until, slugs)


def visible_layers(user) -> QuerySet[Layer]:
    layers = Layer.objects.all()
    if user is None or not user.is_authenticated:
        return layers.filter(access=Access.PUBLIC)
    if user.is_superuser:
        return layers
    rule = Q(access=Access.PUBLIC) | Q(access=Access.RESTRICTED, groups__in=user.groups.all())
    if user.is_staff:
        rule |= Q(access=Access.STAFF)
    return layers.filter(rule).distinct()


def can_view(user, layer: Layer) -> bool:
    if layer.access == Access.PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if layer.access == Access.STAFF:
        return user.is_staff
    return layer.groups.filter(pk__in=user.groups.values("pk")).exists()


def can_edit(user, layer: Layer) -> bool:
    """Whether ``user`` may insert, change and delete ``layer``'s features."""
    if user is None or not user.is_authenticated or not user.is_active or layer.is_raster:
        return False
    return user.has_perm("layers.change_layer") and can_view(user, layer)


# -- the per-credential cache -----------------------------------------------------------------
def credential(kind: str, secret: str) -> str:
    """The cache key of a session key (``kind`` "session") or an API token ("token")."""
    return kind + ":" + hashlib.sha256(secret.encode()).hexdigest()


def _marker():
    try:
        st = os.stat(MARKER)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def cached(key: str) -> frozenset[str] | None:
    """The slugs the credential ``key`` may see, if a current decision is cached."""
    entry = _decisions.get(key)
    if entry is None or entry[0] != _marker() or entry[1] < time.time():
        return None
    return entry[2]


def remember(key: str, user, until: float | None = None) -> frozenset[str]:
    """Decide for ``user`` (authenticated by the credential ``key``), cache it until ``until``
    (epoch seconds; a session's expiry) or the TTL, and return the slugs."""
    marker = _marker()  # before the query: a change meanwhile makes the entry stale at once
    slugs = frozenset(visible_layers(user).values_list("slug", flat=True))
    if TTL > 0 and user is not None and user.is_authenticated:
        deadline = min(time.time() + TTL, until or float("inf"))
        with _lock:
            if len(_decisions) >= MAX_ENTRIES:
                _decisions.clear()
            _decisions[key] = (marker, deadline, slugs)
    return slugs


def invalidate(**kwargs) -> None:
    """Drop every process's cached decisions (now, and again once the change is committed, so
    a decision made from the old rows meanwhile does not outlive it)."""
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # every login saves this; it changes no one's access

    def bump():
        path = Path(MARKER)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(uuid.uuid4().hex)
            os.replace(tmp, path)  # a new inode: seen by os.stat at once
        except OSError as exc:
            log.error("access cache: cannot write %s (decisions live %ss): %s", path, TTL, exc)
        with _lock:
            _decisions.clear()

    bump()
    transaction.on_commit(bump)


# Every change that can alter a decision. Senders named "app.Model" need no import of the app.
for _signal, _sender in (
    (post_save, Layer), (post_delete, Layer), (version_bumped, Layer),
    (m2m_changed, Layer.groups.through), (m2m_changed, User.groups.through),
    (post_save, Group), (post_delete, Group), (post_save, User), (post_delete, User),
    (post_save, "authtoken.Token"), (post_delete, "authtoken.Token"),
    (post_delete, "sessions.Session"),
):  # fmt: skip
    _signal.connect(
        invalidate, sender=_sender, weak=False, dispatch_uid=f"access-{_signal}-{_sender}"
    )


@receiver(user_logged_out, dispatch_uid="access-logged-out")
def _logged_out(sender, **kwargs):
    invalidate()
