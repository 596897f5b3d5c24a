"""What a tile request resolves to, without HTTP: the layers the caller may see (checked before
any cache lookup), the cache key from their versions, and the bytes -- from the disk cache or
freshly rendered and stored.

Zoom levels outside a layer's min/max zoom give an empty tile (the map asks for every zoom;
an empty tile is what a client expects there, not an error); tiles outside the z/x/y grid, unknown
or hidden layers and malformed paths are errors (PortalError: 404 / 400).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError
from django.utils.translation import gettext as _
from rasterio.errors import RasterioIOError

from core.errors import PortalError
from layers import access
from layers.models import Access, Layer

from . import cache, conf, overviews, registry
from .mvt import render_tile
from .raster import render_raster_tile

__all__ = [
    "Tile", "layer_tile", "parse_tile_path", "resolve_layers", "shown_layers", "tile_key",
    "vector_tile", "raster_tile",
]  # fmt: skip

log = logging.getLogger(__name__)
SLUG = re.compile(r"^[a-z][a-z0-9-]{0,47}$")


@dataclass(frozen=True)
class Tile:
    data: bytes  # b"" = empty tile
    key: cache.TileKey
    path: str | Path | None  # the cached copy (relative to the cache root when read from it)

    @property
    def media_type(self) -> str:
        return cache.MEDIA_TYPES[self.key.kind]


def parse_tile_path(z: str, x: str, y: str) -> tuple[int, int, int]:
    """Integers z/x/y inside the Web Mercator grid, or a 400/404 PortalError."""
    try:
        zi, xi, yi = int(z), int(x), int(y)
    except ValueError:
        raise PortalError(
            _("Номер тайла має бути цілим числом: %(path)s") % {"path": f"{z}/{x}/{y}"},
            code="invalid-tile-path",
        ) from None
    if not 0 <= zi <= conf.MAX_ZOOM or not (0 <= xi < 2**zi and 0 <= yi < 2**zi):
        raise PortalError(
            _("Тайл %(path)s поза сіткою") % {"path": f"{zi}/{xi}/{yi}"},
            status=404,
            code="tile-out-of-range",
        )
    return zi, xi, yi


def resolve_layers(user, names: str, credential: tuple[str, float | None] | None = None):
    """The layers named in ``names`` ("a,b,c") in that order, each visible to ``user``; a layer
    that does not exist and one the user may not see are the same 404. ``credential`` (the
    layers.access cache key of the session or token that authenticated ``user``, and when it
    expires) lets the access decision come from that cache."""
    slugs = names.split(",")
    if not names or len(slugs) > conf.MAX_LAYERS or any(not SLUG.match(s) for s in slugs):
        raise PortalError(
            _("Невірний список шарів: %(names)s") % {"names": names[:200]},
            code="invalid-layer-list",
        )
    if len(set(slugs)) != len(slugs):
        raise PortalError(
            _("Шар повторюється у списку: %(names)s") % {"names": names[:200]},
            code="invalid-layer-list",
        )
    if user is None or not user.is_authenticated:
        found = registry.public_layers()  # no query: the snapshot of the same access rule
    elif credential is not None:
        key, until = credential
        allowed = access.cached(key)
        if allowed is None:
            allowed = access.remember(key, user, until)
        every = registry.all_layers()
        found = {slug: every[slug] for slug in slugs if slug in allowed and slug in every}
    else:
        found = {layer.slug: layer for layer in access.visible_layers(user).filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            raise PortalError(
                _("Шар %(slug)s не знайдено") % {"slug": slug}, status=404, code="layer-not-found"
            )
    return [found[s] for s in slugs]


def vector_tile(user, names: str, z: int, x: int, y: int, credential=None) -> Tile:
    return layer_tile(resolve_layers(user, names, credential), "mvt", z, x, y)


def raster_tile(user, name: str, z: int, x: int, y: int, credential=None) -> Tile:
    layers = resolve_layers(user, name, credential)
    if len(layers) != 1 or not layers[0].is_raster or not layers[0].raster_path:
        raise PortalError(
            _("Шар %(slug)s не растровий") % {"slug": name}, status=404, code="not-a-raster-layer"
        )
    return layer_tile(layers, "png", z, x, y)


def tile_key(layers: list[Layer], kind: str, z: int, x: int, y: int) -> cache.TileKey:
    return cache.TileKey(
        kind=kind,
        slugs=tuple(layer.slug for layer in layers),
        versions=tuple(layer.version for layer in layers),
        z=z,
        x=x,
        y=y,
        public=all(layer.access == Access.PUBLIC for layer in layers),
    )


def shown_layers(layers: list[Layer], kind: str, z: int) -> list[Layer]:
    """Those of ``layers`` that have anything to draw at zoom ``z`` in a ``kind`` tile."""
    return [
        layer
        for layer in layers
        if overviews.shown_from(layer) <= z <= layer.max_zoom and layer.is_raster == (kind == "png")
    ]


def layer_tile(layers: list[Layer], kind: str, z: int, x: int, y: int, *, fresh=False) -> Tile:
    """The tile of already access-checked ``layers``: cached, or rendered and cached."""
    key = tile_key(layers, kind, z, x, y)
    shown = shown_layers(layers, kind, z)
    if not shown:
        return Tile(b"", key, None)
    if not fresh:
        data = cache.read(key)
        if data is not None:
            if key.public and not cache.is_published(key) and _still_current(layers):
                cache.publish(key)  # unlinked by a layer save that kept the version
            return Tile(data, key, key.relpath)
    data = _render(shown, kind, z, x, y)
    path = cache.write(key, data)
    if path is not None and key.public and _still_current(layers):
        cache.publish(key)
    return Tile(data, key, path)


def _render(layers: list[Layer], kind: str, z: int, x: int, y: int) -> bytes:
    """Render a tile; a missing raster file or layer table is a clear 503, not a stack trace."""
    try:
        if kind == "png":
            return render_raster_tile(layers[0], z, x, y)
        return render_tile(layers, z, x, y)
    except (RasterioIOError, OSError, DatabaseError) as exc:
        log.error("tile %s/%s/%s/%s: %s", ",".join(la.slug for la in layers), z, x, y, exc)
        raise PortalError(
            _("Дані шару зараз недоступні"), status=503, code="layer-data-unavailable"
        ) from exc


def _still_current(layers: list[Layer]) -> bool:
    """Whether the versions this tile was made from are still the registry's (a re-import may
    have committed meanwhile: the public link must not point nginx at the old version)."""
    rows = Layer.objects.filter(pk__in=[la.pk for la in layers]).values_list(
        "pk", "version", "access"
    )
    now = {pk: (version, access) for pk, version, access in rows}
    return all(now.get(la.pk) == (la.version, Access.PUBLIC) for la in layers)
