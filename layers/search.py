"""Search across the layers a caller may see: cadastral numbers, addresses, streets, landmark
numbers (poles, manholes, bus stops) and facility names, ranked exact > prefix > fuzzy; among
equals the nearer to the hromada's centre first (the town before its villages). Each hit names
its settlement (the layer's ``settlement`` field, else the settlements layer's polygon it lies
in); hits with the same layer, label and settlement are one hit (a house number on two
buildings). Landmarks are asked by their number with an optional kind word and street
("опора 8 Шевченка", "люк К-204"), only in the layers the caller may see.

Plain functions testable without HTTP; the view in layers/search_api.py is thin. Every query
uses bound parameters; identifiers come from the layer registry (declared schema), never
from the request. Result contract (the web map codes against it):
``{"layer", "layer_title", "fid", "label", "kind", "score", "center": [lon, lat],
"bbox": [minlon, minlat, maxlon, maxlat], "settlement"}``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from core.conf import HROMADA
from core.errors import PortalError

from .access import visible_layers
from .models import Layer
from .storage import qualified, quote

__all__ = ["search", "MAX_LIMIT", "MAX_QUERY"]

MAX_LIMIT = 50
PER_LAYER = 25
CADNUM_RE = re.compile(r"^\d{10}(:\d{0,2}(:\d{0,3}(:\d{0,4})?)?)?$|^\d{1,10}$")
HOUSE_RE = re.compile(r"^(?P<street>.*?)[,\s]+(?P<num>\d+[\w/-]*)$")
STREET_WORDS = re.compile(
    r"^(вулиця|вул\.?|провулок|пров\.?|проспект|просп\.?|площа|пл\.?|бульвар|бульв\.?)\s+",
    re.IGNORECASE,
)
# Words residents put before a landmark's number: "опора 8", "люк К-204", "зупинка Центр".
LANDMARK_WORDS = re.compile(
    r"^(опора|опори|стовп|щогла|ліхтар|люк|колодязь|колодязя|зупинка|зупинки|pole|manhole|stop)"
    r"\b\s*(№\s*)?|^№\s*",
    re.IGNORECASE,
)
STOP_WORDS = {"зупинка", "зупинки", "stop"}
# A number first, an optional street after it. Linear: the token is split off first and
# checked for a digit after (a pattern like [\w-]*\d[\w-]* backtracks quadratically).
LANDMARK_RE = re.compile(r"^(?P<num>[^\s,]+)(?:[,\s]+(?P<street>\D.*))?$")
MAX_QUERY = 200  # characters: longer is no address, number or name a resident types


@dataclass
class _Spec:
    kind: str
    label_sql: str  # SQL expression of the label over the layer table (identifiers quoted)
    where_sql: str
    params: list
    key_sql: str  # the text the score is computed from
    exact: str = ""  # the query as that key would read when it matches exactly
    extra: list = field(default_factory=list)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _score(query: str, key: str) -> float:
    q = STREET_WORDS.sub("", query.casefold().strip()).strip()
    k = STREET_WORDS.sub("", (key or "").casefold().strip()).strip()
    if not k:
        return 0.0
    if q == k:
        return 1.0
    if k.endswith(" " + q) and k[: -len(q) - 1].replace("'", "").replace("-", "").isalpha():
        # a street named after a person, asked by the surname: "Шевченка, 12" is exact for
        # "Тараса Шевченка, 12" (one given name before it, no other words)
        return 1.0
    if k.startswith(q):
        return round(0.8 + 0.1 * len(q) / max(len(k), 1), 3)
    return round(0.7 * fuzz.WRatio(q, k) / 100, 3)


def _landmark_spec(layer, names, query: str) -> _Spec | None:
    """A landmark by its number or name: the kind word dropped, a street after the number
    narrowing it where the layer has a ``street`` field ("опора 8 Шевченка"); None when the
    layer cannot hold it (a stop for "опора 8", a pole for "зупинка 8", no street field for a
    number asked with its street)."""
    f = quote(layer.landmark_ref)
    word = LANDMARK_WORDS.match(query)
    text = LANDMARK_WORDS.sub("", query).strip() or query
    by_name = layer.landmark_ref == "name"  # stops: landmarks known by their name
    if word and word[1] and (word[1].casefold() in STOP_WORDS) != by_name:
        return None
    if by_name:
        like = "%" + _escape_like(text) + "%"
        return _Spec("landmark", f"{f}::text", f"{f}::text ILIKE %s", [like], f, text)
    label = f"concat_ws(', ', '№ ' || {f}::text" + (', "street")' if "street" in names else ")")
    m = LANDMARK_RE.match(text)
    if m is None or not any(ch.isdigit() for ch in m["num"]):
        like = "%" + _escape_like(text) + "%"
        return _Spec("landmark", label, f"{f}::text ILIKE %s", [like], f, text)
    where = f"{f}::text ILIKE %s"
    params = ["%" + _escape_like(m["num"]) + "%"]
    if m["street"] and "street" not in names:
        return None
    if m["street"]:
        street = STREET_WORDS.sub("", m["street"]).strip()
        where += ' AND "street" ILIKE %s'
        params.append("%" + _escape_like(street) + "%")
    return _Spec("landmark", label, where, params, f, m["num"])


def _specs(layer, query: str) -> list[_Spec]:
    names = set(layer.attribute_names())
    specs: list[_Spec] = []
    stripped = STREET_WORDS.sub("", query).strip()
    like = "%" + _escape_like(stripped or query) + "%"
    if "cadnum" in names and CADNUM_RE.match(query.replace(" ", "")):
        cad = query.replace(" ", "")
        specs.append(
            _Spec(
                "parcel", '"cadnum"', '"cadnum" LIKE %s', [_escape_like(cad) + "%"], '"cadnum"', cad
            )  # fmt: skip
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
                    f"{m['street'].strip()}, {m['num']}",
                )
            )
    if layer.street_name_field in names and len(stripped) >= 2:
        f = quote(layer.street_name_field)
        specs.append(_Spec("street", f, f"{f} ILIKE %s", [like], f, query))
    if layer.landmark_ref in names:
        spec = _landmark_spec(layer, names, query)
        if spec is not None:
            specs.append(spec)
    if "name" in names and layer.kind == "accessibility" and layer.landmark_ref != "name":
        specs.append(_Spec("facility", '"name"', '"name" ILIKE %s', [like], '"name"', query))
    return specs


def _settlement_sql(layer, names) -> str:
    """SQL of a hit's settlement name: the layer's own ``settlement`` field, else the name of
    the settlements layer's polygon holding the feature (its role, never a slug), else ''."""
    if "settlement" in names:
        return '"settlement"::text'
    places = Layer.objects.filter(role="settlements").first()
    if places is None or places.pk == layer.pk or "name" not in places.attribute_names():
        return "''"
    return (f'(SELECT p."name"::text FROM {qualified(places.table_name)} p'
            " WHERE ST_Intersects(p.geom, ST_PointOnSurface(t.geom)) LIMIT 1)")  # fmt: skip


def _km_from_centre(lon: float, lat: float) -> float:
    clon, clat = HROMADA["center"]
    dx = (lon - clon) * math.cos(math.radians(clat)) * 111.32
    return math.hypot(dx, (lat - clat) * 110.57)


def _layer_hits(cur, layer, query: str, lang: str) -> list[dict]:
    hits = []
    names = set(layer.attribute_names())
    for spec in _specs(layer, query):
        sql = (
            f"SELECT fid, {spec.label_sql}::text, {spec.key_sql}::text, search_settlement_,"
            " ST_X(c), ST_Y(c), ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)"
            " FROM (SELECT t.*, "
            f"{_settlement_sql(layer, names)} AS search_settlement_,"
            " ST_Transform(ST_PointOnSurface(t.geom), 4326) AS c,"
            " ST_Transform(ST_Envelope(t.geom), 4326)::box2d AS b"
            f" FROM {qualified(layer.table_name)} t WHERE {spec.where_sql}"
            f" ORDER BY lower({spec.key_sql}::text) = lower(%s) DESC,"
            f" length({spec.key_sql}::text), fid LIMIT {PER_LAYER}) s"
        )
        cur.execute(sql, [*spec.params, spec.exact])
        for fid, label, key, settlement, cx, cy, x0, y0, x1, y1 in cur.fetchall():
            hits.append({
                "layer": layer.slug,
                "layer_title": layer.title(lang),
                "fid": fid,
                "label": label or "",
                "kind": spec.kind,
                "score": _score(spec.exact, key),
                "center": [round(cx, 7), round(cy, 7)],
                "bbox": [round(v, 7) for v in (x0, y0, x1, y1)],
                "settlement": settlement or "",
            })  # fmt: skip
    return hits


def _rank_and_dedupe(results: list[dict]) -> list[dict]:
    """Best first (score, then nearer the centre); one hit per layer, label and settlement."""
    results.sort(key=lambda r: (-r["score"], round(_km_from_centre(*r["center"]), 1),
                                r["label"], r["layer"], r["fid"]))  # fmt: skip
    seen, unique = set(), []
    for r in results:
        key = (r["layer"], r["kind"], r["label"].casefold(), r["settlement"])
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique


def search(user, query: str, limit: int = 10) -> dict:
    """Ranked matches of ``query`` in the layers ``user`` may see."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY:
        raise PortalError(_("Запит довший за %(n)s символів.") % {"n": MAX_QUERY},
                          code="query-too-long")  # fmt: skip
    limit = max(1, min(int(limit), MAX_LIMIT))
    results: list[dict] = []
    if len(query) < 2 and not query.isdigit():  # single digits: pole/manhole numbers
        return {"query": query, "results": []}
    lang = get_language() or "uk"
    layers = visible_layers(user).exclude(geometry_type="Raster")
    with connection.cursor() as cur:
        for layer in layers:
            results.extend(_layer_hits(cur, layer, query, lang))
    return {"query": query, "results": _rank_and_dedupe(results)[:limit]}
