"""The public layers as a per-process snapshot, so that serving a public tile costs no database
query (anonymous map traffic is most of the load; authenticated callers always ask the
database through layers.access.visible_layers).

The snapshot is the one access rule's answer for an anonymous user (``visible_layers(None)``),
reloaded when the generation marker ``{CACHE_DIR}/.generation`` changes -- tiles.signals
rewrites it whenever a layer is saved, bumped or deleted, before and after the commit -- and in
any case after ``conf.REGISTRY_TTL`` seconds, which bounds staleness if the marker cannot be written.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from pathlib import Path

from layers.access import visible_layers
from layers.models import Layer

from . import conf

__all__ = ["all_layers", "bump_generation", "public_layers", "reset"]

log = logging.getLogger(__name__)
_lock = threading.Lock()
# (marker, loaded at, public layers, every layer)
_state: tuple[object, float, dict[str, Layer], dict[str, Layer]] | None = None


def _marker_path() -> Path:
    return Path(conf.CACHE_DIR) / ".generation"


def _marker():
    try:
        st = os.stat(f"{conf.CACHE_DIR}/.generation")  # no pathlib: this runs on every tile
    except OSError:
        return None
    return (str(conf.CACHE_DIR), st.st_ino, st.st_mtime_ns, st.st_size)


def _snapshot():
    global _state
    marker = _marker()
    state = _state
    if state is not None and state[0] == marker and time.monotonic() - state[1] < conf.REGISTRY_TTL:
        return state
    with _lock:
        public = {layer.slug: layer for layer in visible_layers(None)}
        every = {layer.slug: layer for layer in Layer.objects.all()}
        _state = (marker, time.monotonic(), public, every)
        return _state


def public_layers() -> dict[str, Layer]:
    """{slug: Layer} of every layer an anonymous user may see."""
    return _snapshot()[2]


def all_layers() -> dict[str, Layer]:
    """{slug: Layer} of every layer, for callers whose access was decided already (the staff
    tiles of tiles.fastpath, after layers.access.cached)."""
    return _snapshot()[3]


def bump_generation() -> None:
    """Tell every process (sharing the cache directory) to reload its snapshot."""
    path = _marker_path()
    tmp = path.with_name(f".generation.{os.getpid()}.{threading.get_ident()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(uuid.uuid4().hex)
        os.replace(tmp, path)  # a new inode: seen by os.stat at once
    except OSError as exc:
        log.error(
            "tile registry: cannot write %s (snapshots live %ss): %s", path, conf.REGISTRY_TTL, exc
        )
    reset()


def reset() -> None:
    global _state
    _state = None
