"""The disk tile cache, keyed by layer version, laid out so a front server can read it as is.

Layout under ``conf.CACHE_DIR``::

    {slugs}/{versions}/{z}/{x}/{y}.mvt          every cached vector tile ("parcels,buildings/12,7")
    raster/{slug}/{version}/{z}/{x}/{y}.png     every cached raster tile
    public/{slugs}         -> ../{slugs}/{versions}              only sets of public layers
    public/raster/{slug}   -> ../../raster/{slug}/{version}

A new layer version is a new directory, so stale tiles are never read once the registry says the
version changed. The ``public/`` tree mirrors the /tiles/ URLs: nginx (deploy/nginx/) serves
``/tiles/…`` from it without asking the portal; a change of a layer (data, style, access) unlinks
every public link naming it (``forget``), so nginx falls back to the portal, which checks access
and re-links the new version. Tiles of staff-only or restricted layers are only reachable through
the portal (read here, or sent by nginx via X-Accel-Redirect after the access check).

An empty tile is cached as an empty ``{y}.empty`` marker beside where the tile would be: the
front server finds no ``.mvt``/``.png`` there and asks the portal, which answers 204 (an empty
file served as a 200 PNG would be a broken image). Writes are atomic (temporary file + rename); a full or
read-only disk never fails a request: the tile is served uncached and a warning is logged.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from . import conf

__all__ = [
    "MEDIA_TYPES",
    "encode",
    "TileKey",
    "cache_control",
    "etag",
    "etag_matches",
    "forget",
    "is_published",
    "prune",
    "publish",
    "read",
    "read_file",
    "root",
    "write",
]

log = logging.getLogger(__name__)
MEDIA_TYPES = {"mvt": "application/vnd.mapbox-vector-tile", "png": "image/png"}
GZIP_MIN_BYTES = 512  # smaller vector tiles gain nothing worth the header


def encode(data: bytes, kind: str, accept_encoding: str) -> tuple[bytes, list[tuple[str, str]]]:
    """The body to send for ``data`` and the headers that go with it: vector tiles gzip'd for a
    client that accepts gzip (a phone's first map load is mostly tiles: 131 KB of 431 KB
    before, measured by bench/bench_mappage.py), PNG as it is. nginx in front compresses the
    tiles it sends from the cache itself (deploy/nginx/geoportal.conf)."""
    if kind != "mvt":
        return data, []
    vary = [("Vary", "Accept-Encoding")]
    accepted = {part.split(";")[0].strip().lower() for part in accept_encoding.split(",")}
    if len(data) < GZIP_MIN_BYTES or "gzip" not in accepted:
        return data, vary
    return gzip.compress(data, compresslevel=5, mtime=0), vary + [("Content-Encoding", "gzip")]


@dataclass(frozen=True)
class TileKey:
    """One tile of one set of layers at their current versions."""

    kind: str  # "mvt" or "png"
    slugs: tuple[str, ...]
    versions: tuple[int, ...]
    z: int
    x: int
    y: int
    public: bool

    # Paths are plain "/"-joined strings: this is the hot path of every cached tile.
    @property
    def set_path(self) -> str:
        """The layer set's folder, relative to the cache root and to ``public/``."""
        if self.kind == "png":
            return f"raster/{self.slugs[0]}"
        return ",".join(self.slugs)

    @property
    def version_path(self) -> str:
        return self.set_path + "/" + ",".join(str(v) for v in self.versions)

    @property
    def relpath(self) -> str:
        return f"{self.version_path}/{self.z}/{self.x}/{self.y}.{self.kind}"

    @property
    def etag(self) -> str:
        return etag(self.kind, ",".join(str(v) for v in self.versions), self.public)


# Bump when the code renders tiles differently (encoding, simplification, buffer): a new
# release then neither reuses cached tiles (``invalidate_on_upgrade``, run on start) nor lets
# browsers revalidate old ones (the ETag carries it). GEOPORTAL_TILE_STYLE_VERSION does the same
# for a change outside the layers' own versions (e.g. the base map).
RENDER_VERSION = "r1"


def render_version() -> str:
    return f"{RENDER_VERSION}.{conf.STYLE_VERSION}" if conf.STYLE_VERSION else RENDER_VERSION


def etag(kind: str, versions: str, public: bool) -> str:
    """The HTTP ETag of a tile of layers at ``versions`` ("12,7") rendered by this code, the
    same on every path that serves it (Django views, tiles.fastpath)."""
    return f'"{kind}-{versions}-{render_version()}-{"pub" if public else "prv"}"'


def etag_matches(if_none_match: str, tag: str) -> bool:
    """Whether an If-None-Match header value names ``tag`` (or is "*")."""
    return if_none_match.strip() == "*" or tag in [t.strip() for t in if_none_match.split(",")]


def cache_control(public: bool) -> str:
    """Browsers and CDNs keep public tiles a while; others are revalidated on every use."""
    return f"public, max-age={conf.PUBLIC_MAX_AGE}" if public else "private, no-cache"


def root() -> Path:
    return Path(conf.CACHE_DIR)


def read(key: TileKey) -> bytes | None:
    """The cached tile (b"" for a cached empty tile) or None when not cached."""
    return read_file(os.path.join(conf.CACHE_DIR, key.relpath))


def read_file(path: str) -> bytes | None:
    """The tile at ``path`` (".../{y}.mvt" or ".png"), b"" where its ``.empty`` marker is, or
    None."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return b"" if os.path.exists(os.path.splitext(path)[0] + ".empty") else None


def write(key: TileKey, data: bytes) -> Path | None:
    """Store a tile atomically; its path, or None when the disk refused (logged, not raised)."""
    if not conf.CACHE_ENABLED:
        return None
    target = root() / key.relpath
    if not data:
        target = target.with_suffix(".empty")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{key.y}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)  # readable by the front server's user
            os.replace(tmp, target)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.warning("tile cache: cannot write %s: %s", target, exc)
        return None
    return target


def _link(key: TileKey) -> tuple[str, str]:
    link = os.path.join(conf.CACHE_DIR, "public", key.set_path)
    target = os.path.relpath(os.path.join(conf.CACHE_DIR, key.version_path), os.path.dirname(link))
    return link, target


def is_published(key: TileKey) -> bool:
    """Whether ``public/`` points at this key's version (one readlink: cheap on every hit)."""
    link, target = _link(key)
    try:
        return os.readlink(link) == target
    except OSError:
        return False


def publish(key: TileKey) -> None:
    """Point the public tree at this (public) layer set's current version directory."""
    if not key.public or not conf.CACHE_ENABLED:
        return
    link, target = _link(key)
    link = Path(link)
    try:
        if is_published(key):
            return
        link.parent.mkdir(parents=True, exist_ok=True)
        tmp = link.with_name(f".{link.name}.{os.getpid()}.link")
        with suppress(OSError):
            os.unlink(tmp)
        os.symlink(target, tmp)
        os.replace(tmp, link)  # atomic: nginx sees the old or the new version, never nothing
    except OSError as exc:
        log.warning("tile cache: cannot publish %s: %s", link, exc)


def invalidate_on_upgrade() -> bool:
    """When the cache was filled by another render version (``.render-version`` at its root),
    unlink the public tree and move the old tiles aside to ``.old-<version>`` (removed on the
    next change); returns True when it did. Called once on start (manage.py migrate_on_start)."""
    base = root()
    stamp = base / ".render-version"
    current = render_version()
    try:
        old = stamp.read_text().strip()
    except OSError:
        old = None
    if old == current:
        return False
    base.mkdir(parents=True, exist_ok=True)
    for stale in base.glob(".old-*"):
        shutil.rmtree(stale, ignore_errors=True)
    entries = [p for p in base.iterdir() if not p.name.startswith(".")]
    if entries:
        aside = base / f".old-{old or 'unknown'}"
        aside.mkdir(exist_ok=True)
        for entry in entries:  # "public" first goes with the rest: nginx falls back to the portal
            os.replace(entry, aside / entry.name)
    stamp.write_text(current + "\n")
    return True


def forget(slug: str) -> None:
    """Unlink every public link naming ``slug`` (its data, style or access changed).

    The version directories stay (they are never read again); ``prune`` removes them."""
    public = root() / "public"
    candidates = [public / "raster" / slug]
    with suppress(OSError):
        candidates += [p for p in public.iterdir() if slug in p.name.split(",")]
    for link in candidates:
        with suppress(OSError):
            if os.path.islink(link):
                os.unlink(link)


def prune(slug: str, current: int) -> int:
    """Remove ``slug``'s version directories other than ``current`` (single-layer and raster
    sets); the number removed."""
    removed = 0
    for base in (root() / slug, root() / "raster" / slug):
        with suppress(OSError):
            for version_dir in base.iterdir():
                if version_dir.name != str(current):
                    shutil.rmtree(version_dir, ignore_errors=True)
                    removed += 1
    return removed
