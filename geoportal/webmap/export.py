"""Shareable static maps: one self-contained HTML page (Leaflet's JS and CSS inlined, the
features inside a bbox as GeoJSON) that draws with no network at all, styled by the portal's
one style description (webmap/static/webmap/basemap-style.json, by Layer.role; other layers by
their own style) with a legend listing the values of categorised styles. Used by
``manage.py export_map`` and by the portal's "share as HTML" button.

``local_assets``: a URL prefix of the portal's vendor/ copies to link instead of inlining
(a smaller page for one that the portal itself serves).
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import connection

from core.errors import PortalError
from layers.access import can_view
from layers.models import Layer
from layers.roles import role_map
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


STYLE_FILE = Path(__file__).parent / "static" / "webmap" / "basemap-style.json"


@lru_cache(maxsize=1)
def map_style() -> dict:
    """The one style description the web map, its PNG/print and this export read."""
    return json.loads(STYLE_FILE.read_text(encoding="utf-8"))


def _style(layer: Layer, role: str | None) -> dict:
    """The layer's entry in the style description's shape (its role's, or from its own style)."""
    own = map_style()["roles"].get(role or "")
    if own:
        return own
    s = layer.style or {}
    color = s.get("color", "#3388ff")
    kind = (
        "point"
        if "Point" in layer.geometry_type
        else "line"
        if "Line" in layer.geometry_type
        else "polygon"
    )
    return {"kind": kind, "color": color, "stroke": color, "width": s.get("weight", 1),
            "fill": s.get("fillColor", color), "opacity": s.get("fillOpacity", 0.3),
            "radius": s.get("radius", 5)}  # fmt: skip


def _asset(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise PortalError(f"static asset {path} is missing (run scripts/build-frontend.sh)",
                          status=503, code="asset-missing")  # fmt: skip
    return Path(found).read_text(encoding="utf-8")


def _script_json(value) -> str:
    """JSON safe inside <script>: no "</" can close the element early."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


PAGE_SCRIPT = """
const D = JSON.parse(document.getElementById("map-data").textContent);
const map = L.map("map", {preferCanvas: false});
L.control.scale({imperial: false}).addTo(map);
map.fitBounds([[D.bbox[1], D.bbox[0]], [D.bbox[3], D.bbox[2]]]);
function catColor(c, p) {
  const v = String(p[c.field] ?? "");
  const hit = c.values.find((x) => c.match === "prefix" ? v.startsWith(x.value) : v === x.value);
  return (hit || c.other).color;
}
function pathStyle(st, p) {
  if (st.kind === "street") return {color: st.casing, weight: 4, opacity: 1};
  if (st.kind === "line") return {color: st.color, weight: Array.isArray(st.width) ? 2 : st.width,
    dashArray: st.dash ? st.dash.join(" ") : null, opacity: st.opacity ?? 1};
  const fill = st.categories ? catColor(st.categories, p) : st.fill;
  return {color: st.stroke || st.color, weight: st.width ?? 1, fillColor: fill, fillOpacity: st.opacity ?? 0.6};
}
function esc(s) { const d = document.createElement("div"); d.textContent = String(s); return d.innerHTML; }
D.layers.forEach((l) => {
  L.geoJSON(l.data, {
    style: (f) => pathStyle(l.style, f.properties),
    pointToLayer: (f, ll) => L.circleMarker(ll, {radius: l.style.radius || 5, color: l.style.stroke,
      weight: 2, fillColor: l.style.fill, fillOpacity: 0.9}),
    onEachFeature: (f, lay) => {
      const rows = l.fields.filter((a) => f.properties[a[0]] !== null && f.properties[a[0]] !== "")
        .map((a) => `<tr><th>${esc(a[1])}</th><td>${esc(f.properties[a[0]])}</td></tr>`).join("");
      lay.bindPopup(`<strong>${esc(l.title)}</strong><table>${rows}</table>`);
      if (l.label && f.properties[l.label]) lay.bindTooltip(esc(f.properties[l.label]), {sticky: true});
    },
  }).addTo(map);
});
"""


def _legend(layers: list[dict], language: str) -> str:
    key = "title_en" if language.startswith("en") else "title_uk"
    items = []
    for layer in layers:
        st = layer["style"]
        colour = st.get("casing") or st.get("fill") or st.get("color") or "#999"
        items.append(f'<li><i style="background:{escape(colour)};border-color:'
                     f'{escape(st.get("stroke") or st.get("casing") or colour)}"></i>'
                     f"{escape(layer['title'])}</li>")  # fmt: skip
        cats = st.get("categories")
        for c in [*cats["values"], cats["other"]] if cats else []:
            items.append(f'<li class="value"><i style="background:{escape(c["color"])}"></i>'
                         f"{escape(c.get(key) or c['title_uk'])}</li>")  # fmt: skip
    return f'<ul id="legend">{"".join(items)}</ul>'


PAGE_CSS = """html,body,#map{height:100%;margin:0}
#legend{position:absolute;z-index:1000;right:8px;top:8px;background:#fff;padding:6px 10px;margin:0;
list-style:none;font:13px sans-serif;border:1px solid #999;max-height:80%;overflow:auto}
#legend i{display:inline-block;width:14px;height:10px;border:1px solid #666;margin-right:6px}
#legend li.value{padding-left:16px}"""


def _page(title: str, layers: list[dict], bbox: list[float], language: str,
          local_assets: str | None) -> str:  # fmt: skip
    if local_assets:
        head = (f'<link rel="stylesheet" href="{escape(local_assets)}leaflet/leaflet.css">'
                f'<script src="{escape(local_assets)}leaflet/leaflet.js"></script>')  # fmt: skip
    else:  # self-contained: opens from a file, offline
        head = (f"<style>{_asset('vendor/leaflet/leaflet.css')}</style>"
                f"<script>{_asset('vendor/leaflet/leaflet.js')}</script>")  # fmt: skip
    data = {"bbox": bbox, "layers": layers}
    return (
        f'<!DOCTYPE html><html lang="{escape(language[:2])}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>{head}<style>{PAGE_CSS}</style></head><body>"
        f'<div id="map"></div>{_legend(layers, language)}'
        f'<script type="application/json" id="map-data">{_script_json(data)}</script>'
        f"<script>{PAGE_SCRIPT}</script></body></html>"
    )


def build_map(user, slugs: list[str], bbox: list[float], language: str = "uk",
              local_assets: str | None = None) -> str:  # fmt: skip
    """The standalone HTML page of the chosen layers inside ``bbox``."""
    chosen = _layers(user, slugs)
    roles = {slug: role for role, slug in role_map(user).items()}
    en = language.startswith("en")
    layers = []
    for layer in chosen:
        fields = [[a["name"], (a.get("title_en") if en else a.get("title_uk")) or a["name"]]
                  for a in layer.attributes][:8]  # fmt: skip
        style = _style(layer, roles.get(layer.slug))
        label = (style.get("label") or {}).get("field") or (layer.style or {}).get("label")
        layers.append({"slug": layer.slug, "title": layer.title(language), "style": style,
                       "fields": fields, "label": label, "data": _geojson(layer, bbox)})  # fmt: skip
    titles = ", ".join(layer["title"] for layer in layers)
    return _page(titles, layers, bbox, language, local_assets)
