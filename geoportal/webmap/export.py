"""Shareable static maps: a standalone folium (Leaflet) HTML page with the chosen layers'
features inside a bbox, styled like the portal. Used by ``manage.py export_map`` and by the
portal's "share as HTML" button.

folium references Leaflet's JS/CSS on a CDN by default; ``local_assets=True`` rewrites those
links to the portal's own vendor copies (good for pages served by the portal itself).
"""

from __future__ import annotations

import json

from django.db import connection

from core.errors import PortalError
from layers.access import can_view
from layers.models import Layer
from layers.storage import qualified, quote

__all__ = ["MAX_FEATURES", "build_map", "parse_bbox"]

MAX_FEATURES = 20000  # per layer: a static page must stay small enough to open on a phone


def parse_bbox(text: str) -> list[float]:
    try:
        bbox = [float(v) for v in text.split(",")]
    except (AttributeError, ValueError):
        raise PortalError(
            f"bbox must be minlon,minlat,maxlon,maxlat, got {text!r}", code="bad-bbox"
        ) from None
    if len(bbox) != 4 or not (bbox[0] < bbox[2] and bbox[1] < bbox[3]):
        raise PortalError(
            f"bbox must be minlon,minlat,maxlon,maxlat, got {text!r}", code="bad-bbox"
        )
    if not (-180 <= bbox[0] <= 180 and -180 <= bbox[2] <= 180 and -90 <= bbox[1] <= 90
            and -90 <= bbox[3] <= 90):  # fmt: skip
        raise PortalError(f"bbox is outside lon/lat range: {text!r}", code="bad-bbox")
    return bbox


def _layers(user, slugs: list[str]) -> list[Layer]:
    if not slugs:
        raise PortalError("choose at least one layer", code="no-layers")
    found = {layer.slug: layer for layer in Layer.objects.filter(slug__in=slugs)}
    chosen = []
    for slug in slugs:
        layer = found.get(slug)
        if layer is None or not can_view(user, layer):
            raise PortalError(f"unknown layer {slug!r}", status=404, code="layer-not-found")
        if layer.is_raster:
            raise PortalError(f"layer {slug!r} is a raster", code="raster-not-exportable")
        chosen.append(layer)
    return chosen


def _geojson(layer: Layer, bbox: list[float]) -> dict:
    names = layer.attribute_names()
    props = ", ".join(f"'{n}', t.{quote(n)}" for n in names)
    sql = (
        "SELECT json_build_object('type', 'FeatureCollection', 'features',"
        " COALESCE(json_agg(json_build_object('type', 'Feature', 'id', t.fid,"
        " 'geometry', ST_AsGeoJSON(ST_Transform(t.geom, 4326), 6)::json,"
        f" 'properties', json_build_object({props}))), '[]'::json))"
        f" FROM (SELECT * FROM {qualified(layer.table_name)}"
        " WHERE geom && ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 4326), 3857)"
        f" ORDER BY fid LIMIT {MAX_FEATURES}) t"
    )
    if not names:
        sql = sql.replace("json_build_object()", "'{}'::json")
    with connection.cursor() as cur:
        cur.execute(sql, bbox)
        value = cur.fetchone()[0]
    return value if isinstance(value, dict) else json.loads(value)


def _style(layer: Layer) -> dict:
    s = layer.style or {}
    color = s.get("color", "#3388ff")
    return {
        "color": color,
        "weight": s.get("weight", 1),
        "fillColor": s.get("fillColor", color),
        "fillOpacity": s.get("fillOpacity", 0.3),
    }


def build_map(user, slugs: list[str], bbox: list[float], language: str = "uk",
              local_assets: str | None = None) -> str:  # fmt: skip
    """The standalone HTML of a folium map. ``local_assets``: URL prefix of vendor/ to use
    instead of the CDN (e.g. "/static/vendor/")."""
    import folium

    layers = _layers(user, slugs)
    fmap = folium.Map(tiles=None, control_scale=True)
    fmap.fit_bounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]])
    for layer in layers:
        data = _geojson(layer, bbox)
        fields = [a["name"] for a in layer.attributes][:8]
        aliases = [
            (a.get("title_en") if language.startswith("en") else a.get("title_uk")) or a["name"]
            for a in layer.attributes
        ][:8]
        style = _style(layer)
        is_point = "Point" in layer.geometry_type
        folium.GeoJson(
            data,
            name=layer.title(language),
            style_function=lambda _f, style=style: style,
            marker=folium.CircleMarker(radius=5, fill=True, **{k: style[k] for k in style})
            if is_point
            else None,
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases)
            if fields and data["features"]
            else None,
        ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    html = fmap.get_root().render()
    if local_assets:
        html = html.replace(
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/", f"{local_assets}leaflet/"
        )
    return html
