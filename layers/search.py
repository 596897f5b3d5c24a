"""Search across the layers a caller may see: cadastral numbers, addresses, streets, landmark
numbers (poles, manholes, bus stops) and facility names, ranked exact > prefix > fuzzy.

Plain functions testable without HTTP; the view in layers/search_api.py is thin. Every query
uses bound parameters; identifiers come from the layer registry (declared schema), never
from the request. Result contract (the web map codes against it):
``{"layer", "layer_title", "fid", "label", "kind", "score", "center": [lon, lat],
"bbox": [minlon, minlat, maxlon, maxlat]}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import get_language
from rapidfuzz import fuzz

from .access import visible_layers
from .storage import qualified, quote

__all__ = ["search", "MAX_LIMIT"]

MAX_LIMIT = 50
PER_LAYER = 25
CADNUM_RE = re.compile(r"^\d{10}(:\d{0,2}(:\d{0,3}(:\d{0,4})?)?)?$|^\d{1,10}$")
HOUSE_RE = re.compile(r"^(?P<street>.*?)[,\s]+(?P<num>\d+[\w/-]*)$")
STREET_WORDS = re.compile(
    r"^(вулиця|вул\.?|провулок|пров\.?|проспект|просп\.?|площа|пл\.?|бульвар|бульв\.?)\s+",
    re.IGNORECASE,
)


@dataclass
class _Spec:
    kind: str
    label_sql: str  # SQL expression of the label over the layer table (identifiers quoted)
    where_sql: str
    params: list
    key_sql: str  # the text the score is computed from


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _score(query: str, key: str) -> float:
    q = STREET_WORDS.sub("", query.casefold().strip()).strip()
    k = STREET_WORDS.sub("", (key or "").casefold().strip()).strip()
    if not k:
        return 0.0
    if q == k:
        return 1.0
    if k.startswith(q):
        return round(0.8 + 0.1 * len(q) / max(len(k), 1), 3)
    return round(0.7 * fuzz.WRatio(q, k) / 100, 3)


def _specs(layer, query: str) -> list[_Spec]:
    names = set(layer.attribute_names())
    specs: list[_Spec] = []
    stripped = STREET_WORDS.sub("", query).strip()
    like = "%" + _escape_like(stripped or query) + "%"
    if "cadnum" in names and CADNUM_RE.match(query.replace(" ", "")):
        cad = query.replace(" ", "")
        specs.append(
            _Spec("parcel", '"cadnum"', '"cadnum" LIKE %s', [_escape_like(cad) + "%"], '"cadnum"')
        )
    if layer.address_fields:
        street, num = (layer.address_fields.split(",") + ["", ""])[:2]
        m = HOUSE_RE.match(query.strip())
        if street in names and num in names and m:
            s = STREET_WORDS.sub("", m["street"]).strip()
            label = f"concat_ws(', ', {quote(street)}, {quote(num)})"
            specs.append(
                _Spec(
                    "address",
                    label,
                    f"{quote(street)} ILIKE %s AND lower({quote(num)}) LIKE %s",
                    ["%" + _escape_like(s) + "%", _escape_like(m["num"].lower()) + "%"],
                    label,
                )
            )
    if layer.street_name_field in names and len(stripped) >= 2:
        f = quote(layer.street_name_field)
        specs.append(_Spec("street", f, f"{f} ILIKE %s", [like], f))
    if layer.landmark_ref in names:
        f = quote(layer.landmark_ref)
        label = f"{f}::text"
        if layer.landmark_ref != "name":  # numbers read better with their street
            label = f"concat_ws(', ', '№ ' || {f}::text"
            label += ', "street")' if "street" in names else ")"
        specs.append(
            _Spec("landmark", label, f"{f}::text ILIKE %s", ["%" + _escape_like(query) + "%"], f)
        )
    if "name" in names and layer.kind == "accessibility" and layer.landmark_ref != "name":
        specs.append(_Spec("facility", '"name"', '"name" ILIKE %s', [like], '"name"'))
    return specs


def search(user, query: str, limit: int = 10) -> dict:
    """Ranked matches of ``query`` in the layers ``user`` may see."""
    query = (query or "").strip()
    limit = max(1, min(int(limit), MAX_LIMIT))
    results: list[dict] = []
    if len(query) < 2 and not query.isdigit():  # single digits: pole/manhole numbers
        return {"query": query, "results": []}
    lang = get_language() or "uk"
    layers = visible_layers(user).exclude(geometry_type="Raster")
    with connection.cursor() as cur:
        for layer in layers:
            for spec in _specs(layer, query):
                sql = (
                    f"SELECT fid, {spec.label_sql}::text, {spec.key_sql}::text,"
                    " ST_X(c), ST_Y(c), ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)"
                    " FROM (SELECT t.*,"
                    " ST_Transform(ST_PointOnSurface(geom), 4326) AS c,"
                    " ST_Transform(ST_Envelope(geom), 4326)::box2d AS b"
                    f" FROM {qualified(layer.table_name)} t WHERE {spec.where_sql}"
                    f" ORDER BY lower({spec.key_sql}::text) = lower(%s) DESC,"
                    f" length({spec.key_sql}::text), fid LIMIT {PER_LAYER}) s"
                )
                exact = query
                if spec.kind == "address":
                    m = HOUSE_RE.match(query)
                    exact = f"{m['street'].strip()}, {m['num']}"
                cur.execute(sql, [*spec.params, exact])
                for fid, label, key, cx, cy, x0, y0, x1, y1 in cur.fetchall():
                    results.append(
                        {
                            "layer": layer.slug,
                            "layer_title": layer.title(lang),
                            "fid": fid,
                            "label": label or "",
                            "kind": spec.kind,
                            "score": _score(exact, key),
                            "center": [round(cx, 7), round(cy, 7)],
                            "bbox": [round(v, 7) for v in (x0, y0, x1, y1)],
                        }
                    )
    results.sort(key=lambda r: (-r["score"], r["label"], r["layer"], r["fid"]))
    return {"query": query, "results": results[:limit]}
