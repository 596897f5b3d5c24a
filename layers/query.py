"""Feature queries shared by the OGC API, the REST features endpoint and exports: CQL2 text /
JSON filters through pygeofilter into Django Q objects (never SQL text), property equality,
bbox in a chosen CRS, sort keys, and output CRS handling with authority axis order.

Every name in a filter or sort key is checked against the layer's declared schema first, so a
request can only reference real columns; values always travel as bound parameters.
"""

from __future__ import annotations

import json
from functools import lru_cache

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Polygon
from django.db.models import Q
from django.utils.translation import gettext as _
from pygeofilter import ast, values
from pygeofilter.backends.django.evaluate import DjangoFilterEvaluator
from pygeofilter.backends.evaluator import handle

from core.errors import PortalError
from core.validation import (
    check_geographic,
    parse_bbox,
    parse_date_or_datetime,
    parse_interval,
    parse_number,
    strip_control,
)

__all__ = [
    "CRS84",
    "OFFERED_CRS",
    "bbox_filter",
    "datetime_filter",
    "crs_uri",
    "flip_axes",
    "parse_crs",
    "parse_filter",
    "parse_sortby",
    "property_filter",
]

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: EPSG codes offered for output and bbox-crs besides CRS84.
OFFERED_EPSG = [4326, 3857, 5561, 5564, 6385, 9840]  # 9840: LCS-35 Kirovohrad (migration 0003)
#: Of those, the ones in degrees (lon/lat limits apply to a bbox in them).
GEOGRAPHIC_EPSG = {4326, 5561}
OFFERED_CRS = [CRS84] + [f"http://www.opengis.net/def/crs/EPSG/0/{c}" for c in OFFERED_EPSG]
MAX_FILTER_NODES = 2000
MAX_FILTER_COORDS = 5000


class _Evaluator(DjangoFilterEvaluator):
    """pygeofilter's Django evaluator with CRS84 (lon/lat, srid 4326) literal geometries."""

    @handle(values.Geometry)
    def geometry(self, node):
        try:
            geometry = GEOSGeometry(json.dumps(node.__geo_interface__, allow_nan=False))
        except (ValueError, TypeError, GEOSException, GDALException):
            raise PortalError(_("filter: неправильна геометрія"), code="invalid-filter") from None
        _check_lonlat(geometry.extent)
        if geometry.num_coords > MAX_FILTER_COORDS:
            raise PortalError(
                _("Геометрія у фільтрі задовга: %(n)s вершин (максимум %(max)s)")
                % {"n": geometry.num_coords, "max": MAX_FILTER_COORDS},
                code="filter-too-complex",
            )
        geometry.srid = 4326
        return geometry

    @handle(values.Envelope)
    def envelope(self, node):
        _check_lonlat((node.x1, node.y1, node.x2, node.y2))
        polygon = Polygon.from_bbox((node.x1, node.y1, node.x2, node.y2))
        polygon.srid = 4326
        return polygon


def _check_lonlat(extent) -> None:
    """Filter geometries are CRS84: finite lon/lat within ±180 / ±90 (1e308 or latitude 95
    would make PostGIS's transform fail with a 500)."""
    x0, y0, x1, y1 = (parse_number(v, "filter") for v in extent)
    check_geographic(x0, y0, "filter")
    check_geographic(x1, y1, "filter")


def _walk(node, seen: list):
    seen.append(node)
    if len(seen) > MAX_FILTER_NODES:
        raise PortalError(_("Фільтр надто складний"), code="filter-too-complex")
    if isinstance(node, ast.Node):
        for child in node.get_sub_nodes():
            _walk(child, seen)
    elif isinstance(node, list | tuple):
        for child in node:
            _walk(child, seen)


def parse_filter(layer, text: str, lang: str | None = None) -> Q:
    """A CQL2 filter (text or JSON) over ``layer``'s attributes and ``geometry`` as a Q."""
    lang = (lang or "cql2-text").lower()
    try:
        if lang == "cql2-json":
            from pygeofilter.parsers.cql2_json import parse

            tree = parse(json.loads(text))
        elif lang == "cql2-text":
            from pygeofilter.parsers.cql2_text import parse

            tree = parse(text)
        else:
            raise PortalError(
                _("Непідтримувана мова фільтра: %(lang)s") % {"lang": lang},
                code="invalid-filter-lang",
            )
    except PortalError:
        raise
    except Exception as exc:  # lark / json errors: the client's syntax
        raise PortalError(
            _("Помилка синтаксису фільтра (%(where)s)") % {"where": _where(exc)},
            code="invalid-filter",
        ) from None
    nodes: list = []
    _walk(tree, nodes)
    allowed = set(layer.attribute_names()) | {"geometry", "geom", "fid", "id"}
    for node in nodes:
        if isinstance(node, ast.Attribute) and node.name not in allowed:
            raise PortalError(
                _("Невідома властивість у фільтрі: %(name)s") % {"name": node.name},
                code="unknown-property",
            )
    mapping = {name: name for name in layer.attribute_names()}
    mapping.update({"geometry": "geom", "geom": "geom", "fid": "fid", "id": "fid"})
    try:
        result = _Evaluator(mapping, None).evaluate(tree)
    except PortalError:
        raise
    except Exception:  # an operator or function pygeofilter's Django backend lacks
        raise PortalError(
            _("Фільтр містить оператор або функцію, яких сервер не підтримує"),
            code="invalid-filter",
        ) from None
    if not isinstance(result, Q):  # e.g. a bare literal or list: not a condition on features
        raise PortalError(_("Фільтр має бути умовою (предикатом)"), code="invalid-filter")
    _check_compiles(layer, result)
    return result


def _where(exc: Exception) -> str:
    """Where the parser stopped, in the client's words (never the library's message, which
    names its own classes)."""
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    if line is None and hasattr(exc, "lineno"):  # json.JSONDecodeError
        line, column = exc.lineno, exc.colno
    if line is None or column is None or line < 0:
        return _("нерозпізнаний вираз")
    return _("рядок %(l)s, позиція %(c)s") % {"l": line, "c": column}


def _check_compiles(layer, condition: Q) -> None:
    """Compile (not run) the condition, so a type mismatch the ORM only notices when it writes
    SQL (a string compared with the geometry, a function on a text column) is the client's 400
    here instead of a 500 in the middle of a view."""
    from .dynamic import feature_model

    try:
        feature_model(layer).objects.filter(condition).query.sql_with_params()
    except Exception:
        raise PortalError(
            _("Фільтр порівнює значення несумісних типів"), code="invalid-filter"
        ) from None


def parse_crs(value: str | None, param: str = "crs") -> int:
    """EPSG code of an offered CRS URI (CRS84 -> 4326 lon/lat; see ``flip_axes``)."""
    if not value or value == CRS84 or value == "CRS84":
        return 4326
    for code in OFFERED_EPSG:
        if value in (
            f"http://www.opengis.net/def/crs/EPSG/0/{code}",
            f"EPSG:{code}",
            f"urn:ogc:def:crs:EPSG::{code}",
        ):
            return code
    raise PortalError(
        _("Непідтримувана система координат у %(param)s: %(value)s")
        % {"param": param, "value": value},
        code="unsupported-crs",
        supported=OFFERED_CRS,
    )


def crs_uri(value: str | None) -> str:
    if not value or value in (CRS84, "CRS84"):
        return CRS84
    return f"http://www.opengis.net/def/crs/EPSG/0/{parse_crs(value)}"


@lru_cache(maxsize=32)
def _north_first(code: int) -> bool:
    from pyproj import CRS

    return CRS.from_epsg(code).axis_info[0].direction.lower() in ("north", "south")


def flip_axes(value: str | None) -> bool:
    """True when the CRS's authority axis order is northing/latitude first (not for CRS84)."""
    if not value or value in (CRS84, "CRS84"):
        return False
    return _north_first(parse_crs(value))


def bbox_filter(text: str, bbox_crs: str | None = None) -> Q:
    """``bbox=minx,miny,maxx,maxy`` in ``bbox_crs`` (CRS84 default) as a Q on ``geom``."""
    code = parse_crs(bbox_crs, "bbox-crs")
    x0, y0, x1, y1 = parse_bbox(text, "bbox", geographic=False)
    if flip_axes(bbox_crs):
        x0, y0, x1, y1 = y0, x0, y1, x1
    if code in GEOGRAPHIC_EPSG:
        check_geographic(x0, y0, "bbox")
        check_geographic(x1, y1, "bbox")
    polygon = Polygon.from_bbox((x0, y0, x1, y1))
    polygon.srid = code
    return Q(geom__intersects=polygon)


def datetime_filter(layer, text: str) -> Q | None:
    """OGC API ``datetime`` (instant, ``a/b``, ``../b``, ``a/..``) on the layer's first
    date/datetime attribute; None when the layer has no temporal attribute (ignored)."""
    attribute = next((a for a in layer.attributes if a.get("type") in ("date", "datetime")), None)
    if attribute is None:
        return None
    name, kind = attribute["name"], attribute["type"]
    start, end = parse_interval(text, "datetime", kind)
    if "/" not in text:
        return Q(**{name: start})
    q = Q()
    if start is not None:
        q &= Q(**{f"{name}__gte": start})
    if end is not None:
        q &= Q(**{f"{name}__lte": end})
    return q


def property_filter(layer, name: str, value: str) -> Q:
    """``name=value`` on a declared attribute, the value parsed by the attribute's type (an
    integer, a finite number, a real date, yes/no), so a wrong value is the client's 400."""
    attribute = layer.attribute(name)
    if attribute is None:
        raise PortalError(
            _("Невідомий параметр або властивість: %(name)s") % {"name": name},
            code="unknown-property",
        )
    kind = attribute.get("type", "string")
    if kind == "integer":
        parsed = parse_number(value, name, integer=True, minimum=-(2**63), maximum=2**63 - 1)
    elif kind == "float":
        parsed = parse_number(value, name)
    elif kind in ("date", "datetime"):
        parsed = parse_date_or_datetime(value, name, kind)
    elif kind == "boolean":
        if value.strip().lower() not in BOOLEANS:
            raise PortalError(
                _("%(name)s: так/ні (true, false)") % {"name": name}, code="invalid-boolean"
            )
        parsed = BOOLEANS[value.strip().lower()]
    else:
        parsed = strip_control(value)
    return Q(**{name: parsed})


BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def parse_sortby(layer, text: str | None) -> list[str]:
    """``sortby=+name,-area_ha`` as ORM order_by keys, always ending with fid (stable pages)."""
    keys = []
    for raw in filter(None, (text or "").split(",")):
        raw = raw.strip()
        desc = raw.startswith("-")
        name = raw.lstrip("+-").strip()
        if name == "id":
            name = "fid"
        if name != "fid" and name not in layer.attribute_names():
            raise PortalError(
                _("Невідома властивість у sortby: %(name)s") % {"name": name},
                code="unknown-property",
            )
        keys.append(("-" if desc else "") + name)
    if not any(k.lstrip("-") == "fid" for k in keys):
        keys.append("fid")
    return keys
