"""TileJSON 3.0.0 documents for one layer or a composite of vector layers, and for raster layers.

Besides the standard keys, ``styles`` maps each layer to its style description
(/api/v1/layers/{slug}/style/: colours, widths, icons, labels; staff edit it in the admin).
"""

from __future__ import annotations

from layers.models import Layer

from . import overviews
from .mvt import tile_attributes

__all__ = ["tilejson"]

WORLD = [-180.0, -85.0511, 180.0, 85.0511]


def _fields(layer: Layer) -> dict[str, str]:
    """Every attribute that appears in the layer's tiles at some zoom, with its title (an
    overview's key, count and area too)."""
    names: list[str] = []
    titles = {"count": "Кількість об'єктів", "area_ha": "Площа, га"}
    for overview in overviews.overviews(layer):
        for name in overview.attributes:
            if name not in names:
                names.append(name)
    for z in range(layer.min_zoom, min(layer.max_zoom, 24) + 1):
        for name in tile_attributes(layer, z):
            if name not in names:
                names.append(name)
    return {
        name: (layer.attribute(name) or {}).get("title_uk") or titles.get(name) or name
        for name in names
    }


def tilejson(layers: list[Layer], base_url: str, names: str) -> dict:
    """``base_url``: the portal's absolute root URL ending with "/"."""
    extents = [layer.extent for layer in layers if layer.extent and len(layer.extent) == 4]
    bounds = (
        [
            min(e[0] for e in extents),
            min(e[1] for e in extents),
            max(e[2] for e in extents),
            max(e[3] for e in extents),
        ]
        if extents
        else WORLD
    )
    minzoom = min(overviews.shown_from(layer) for layer in layers)
    maxzoom = max(min(layer.max_zoom, 22) for layer in layers)
    raster = len(layers) == 1 and layers[0].is_raster
    if raster:
        tiles = f"{base_url}tiles/raster/{names}/{{z}}/{{x}}/{{y}}.png"
    else:
        tiles = f"{base_url}tiles/{names}/{{z}}/{{x}}/{{y}}.mvt"
    body = {
        "tilejson": "3.0.0",
        "name": ", ".join(layer.title_uk for layer in layers),
        "description": "; ".join(layer.description_uk for layer in layers if layer.description_uk),
        "scheme": "xyz",
        "tiles": [tiles],
        "minzoom": minzoom,
        "maxzoom": maxzoom,
        "bounds": [round(v, 6) for v in bounds],
        "center": [
            round((bounds[0] + bounds[2]) / 2, 6),
            round((bounds[1] + bounds[3]) / 2, 6),
            max(minzoom, min(maxzoom, 14)),
        ],
        "attribution": "; ".join(
            sorted({layer.attribution for layer in layers if layer.attribution})
        ),
        "styles": {layer.slug: f"{base_url}api/v1/layers/{layer.slug}/style/" for layer in layers},
    }
    if not raster:
        body["vector_layers"] = [
            {
                "id": layer.slug,
                "description": layer.title_uk,
                "minzoom": overviews.shown_from(layer),
                "maxzoom": min(layer.max_zoom, 22),
                "fields": _fields(layer),
            }
            for layer in layers
            if not layer.is_raster
        ]
    return body
