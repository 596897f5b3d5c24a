"""Tile endpoints: /tiles/{layers}/{z}/{x}/{y}.mvt, /tiles/{layers}.json, raster PNG tiles."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse

from geoportal.errors import problem_response
from layers.access import visible_layers
from layers.models import Layer

from .mvt import render_tile, tile_attributes

MVT_TYPE = "application/vnd.mapbox-vector-tile"


def _layers(request, names: str) -> list[Layer]:
    slugs = [s for s in names.split(",") if s]
    if not slugs or len(slugs) > 20:
        raise Http404("no layers")
    found = {layer.slug: layer for layer in visible_layers(request.user).filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise Http404(f"unknown layer {missing[0]!r}")
    return [found[s] for s in slugs]


def vector_tile(request, layers: str, z: int, x: int, y: int):
    chosen = _layers(request, layers)
    if z > 24 or x >= 2**z or y >= 2**z:
        return problem_response(
            404, "tile-out-of-range", f"tile {z}/{x}/{y} is outside the grid", "tile-out-of-range"
        )
    shown = [
        layer for layer in chosen if layer.min_zoom <= z <= layer.max_zoom and not layer.is_raster
    ]
    data = render_tile(shown, z, x, y) if shown else b""
    if not data:
        return HttpResponse(status=204)
    return HttpResponse(data, content_type=MVT_TYPE)


def tilejson(request, layers: str):
    chosen = _layers(request, layers)
    base = request.build_absolute_uri(f"/tiles/{layers}/")
    extents = [layer.extent for layer in chosen if layer.extent]
    bounds = (
        [
            min(e[0] for e in extents),
            min(e[1] for e in extents),
            max(e[2] for e in extents),
            max(e[3] for e in extents),
        ]
        if extents
        else [-180, -85.0511, 180, 85.0511]
    )
    minzoom = min(layer.min_zoom for layer in chosen)
    maxzoom = max(min(layer.max_zoom, 22) for layer in chosen)
    body = {
        "tilejson": "3.0.0",
        "name": ", ".join(layer.title_uk for layer in chosen),
        "tiles": [base + "{z}/{x}/{y}.mvt"],
        "minzoom": minzoom,
        "maxzoom": maxzoom,
        "bounds": bounds,
        "center": [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, max(minzoom, 14)],
        "attribution": "; ".join(
            sorted({layer.attribution for layer in chosen if layer.attribution})
        ),
        "vector_layers": [
            {
                "id": layer.slug,
                "description": layer.title_uk,
                "minzoom": layer.min_zoom,
                "maxzoom": layer.max_zoom,
                "fields": {
                    a: (layer.attribute(a) or {}).get("title_uk", a)
                    for a in tile_attributes(layer, layer.max_zoom)
                },
            }
            for layer in chosen
        ],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
