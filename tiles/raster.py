"""Raster tiles (PNG, 256 px, Web Mercator) from the Cloud-Optimised GeoTIFFs the importers store,
read with rio-tiler.

- single-band grids (flood depth): a stepped colour ramp from ``tile_settings["colormap"]`` or
  ``style["colormap"]`` ({"0": "#c6dbef", "0.5": "#6baed6", ...}: a value takes the colour of the
  greatest threshold <= it; values below the first threshold and nodata are transparent), or a
  named rio-tiler ramp (``tile_settings["cmap"]``, default "blues") over ``tile_settings["rescale"]``
  ([min, max]);
- three or more bands (scans, orthophotos): RGB, rescaled from ``rescale`` when not 8-bit.

A tile outside the raster, or with no valid pixel, is empty (b"").
"""

from __future__ import annotations

from pathlib import Path

import numpy
from rio_tiler.colormap import cmap as named_colormaps
from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader

from core import conf as portal_conf
from layers.models import Layer

from . import conf

__all__ = ["colormap_intervals", "render_raster_tile"]


def colormap_intervals(spec: dict) -> list[tuple[tuple[float, float], tuple[int, int, int, int]]]:
    """rio-tiler interval colormap from {"threshold": "#rrggbb[aa]", ...}."""
    steps = sorted((float(k), _rgba(v)) for k, v in spec.items())
    intervals = []
    for i, (low, colour) in enumerate(steps):
        high = steps[i + 1][0] if i + 1 < len(steps) else float("inf")
        intervals.append(((low, high), colour))
    return intervals


def _rgba(colour: str) -> tuple[int, int, int, int]:
    text = colour.lstrip("#")
    if len(text) not in (6, 8):
        raise ValueError(f"colour {colour!r} is not #rrggbb or #rrggbbaa")
    values = [int(text[i : i + 2], 16) for i in range(0, len(text), 2)]
    return tuple(values + [255] * (4 - len(values)))  # type: ignore[return-value]


def raster_file(layer: Layer) -> Path:
    return Path(portal_conf.RASTER_DIR) / layer.raster_path


def render_raster_tile(layer: Layer, z: int, x: int, y: int) -> bytes:
    settings = layer.tile_settings or {}
    size = conf.RASTER_TILE_SIZE
    with Reader(str(raster_file(layer))) as src:
        if not src.tile_exists(x, y, z):
            return b""
        indexes = (1, 2, 3) if src.dataset.count >= 3 else (1,)
        try:
            image = src.tile(x, y, z, tilesize=size, indexes=indexes)
        except TileOutsideBounds:
            return b""
    if not numpy.any(image.mask):
        return b""
    rescale = settings.get("rescale")
    if len(indexes) == 3:
        if rescale:
            image.rescale(in_range=(tuple(rescale),) * 3)
        return image.render(img_format="PNG")
    spec = settings.get("colormap") or (layer.style or {}).get("colormap")
    if isinstance(spec, dict) and spec:
        cells = image.array[0]
        below = cells.data < min(float(k) for k in spec)
        if below.any():  # below the first step: transparent, like nodata
            image.array.mask = image.array.mask | below[numpy.newaxis, :, :]
        return image.render(img_format="PNG", colormap=colormap_intervals(spec))
    low, high = rescale or (0, 255)
    image.rescale(in_range=((low, high),))
    return image.render(
        img_format="PNG", colormap=named_colormaps.get(settings.get("cmap", "blues"))
    )
