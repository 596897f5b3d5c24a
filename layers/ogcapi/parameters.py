"""The parameters of every operation of the OGC API - Features (and of the REST features and
export views of layers.rest, which share its engine), declared once in ``PARAMETERS``, and
``parse``, which reads a request with that declaration into a ``FeatureQuery``.

openapi.py documents this declaration, so /ogc/api lists exactly what is accepted, with the
same bounds. The values are checked here and the conditions built by layers.query
(bbox_filter, datetime_filter, parse_filter, parse_crs, parse_sortby). A bad value is a
core.errors.PortalError 400 whose ``locator`` names the parameter; its code is
``invalid-<name>`` unless layers.query gives a more precise one (unsupported-crs,
unknown-property, filter-too-complex). On items and export, any other query key is an equality
filter on a property of the layer (``cadnum=...``) and must be one of its attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import NotFound, PortalError

from ..access import visible_layers
from ..dynamic import feature_model
from ..exports import FORMATS, check_format
from ..query import (
    CRS84,
    OFFERED_CRS,
    bbox_filter,
    crs_uri,
    datetime_filter,
    parse_crs,
    parse_filter,
    parse_sortby,
    property_filter,
)

__all__ = [
    "OPERATIONS",
    "PARAMETERS",
    "FeatureQuery",
    "Parameter",
    "collections",
    "feature_not_found",
    "find_collection",
    "parse",
    "taken_by",
]

LANDING, CONFORMANCE, COLLECTIONS = "landing", "conformance", "collections"
COLLECTION, QUERYABLES, ITEMS, ITEM, EXPORT = "collection", "queryables", "items", "item", "export"
#: The OGC API's operations (documented in /ogc/api) and the REST export (layers.rest).
OPERATIONS = (LANDING, CONFORMANCE, COLLECTIONS, COLLECTION, QUERYABLES, ITEMS, ITEM, EXPORT)
#: Operations selecting features by conditions; their other query keys are property filters.
SELECTING = {ITEMS, EXPORT}
PAGED = {ITEMS}
WRITING = {ITEMS, ITEM, EXPORT}  # operations writing geometries (take crs)
PAGES = {LANDING, COLLECTIONS, COLLECTION, ITEMS}  # operations with an HTML page (take f)
#: Keys an operation accepts and does not use (an export is the whole selection: no paging).
IGNORED = {EXPORT: {"f", "limit", "offset"}}

DEFAULT_LIMIT = 10
MAX_LIMIT = 10000
MAX_OFFSET = 10**12
HEAVY_LIMIT = 1000  # larger anonymous pages draw on the rate-limit bucket
FILTER_LANGS = ["cql2-text", "cql2-json"]
F_VALUES = ["json", "html", "geojson"]


@dataclass
class FeatureQuery:
    """One request's parameters, parsed: what to select, which page, how to write it."""

    operation: str
    layer: Any = None
    fid: int | None = None
    f: str | None = None
    html: bool = False
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    crs: str = CRS84
    conditions: list[Q] = field(default_factory=list)
    order_by: list[str] = field(default_factory=lambda: ["fid"])
    format: str = "geojson"

    @property
    def filtered(self) -> bool:
        """True when a condition narrows the layer (numberMatched must then be counted)."""
        return bool(self.conditions)

    @property
    def cost(self) -> float:
        """Rate-limit tokens an anonymous caller pays for this page (0: not heavy)."""
        return self.limit / MAX_LIMIT if self.limit > HEAVY_LIMIT else 0.0

    def queryset(self):
        """The layer's features selected and sorted as asked (no paging)."""
        qs = feature_model(self.layer).objects.filter(*self.conditions)
        if self.fid is not None:
            qs = qs.filter(fid=self.fid)
        return qs.order_by(*self.order_by)


Reader = Callable[[str, FeatureQuery, Any], Any]


@dataclass(frozen=True)
class Parameter:
    """One parameter: its OpenAPI description, the operations taking it and its reader.

    ``read(value, query, request)`` returns the typed value (or raises PortalError); it goes
    to the FeatureQuery field ``into``, is appended to its conditions (``into="conditions"``)
    or only checked (``into=None``, read again by another parameter, e.g. bbox-crs by bbox)."""

    name: str
    operations: frozenset[str]
    schema: dict
    description: str
    read: Reader
    into: str | None
    where: str = "query"
    openapi_extra: dict = field(default_factory=dict)

    def openapi(self) -> dict:
        return {
            "name": self.name,
            "in": self.where,
            "required": self.where == "path",
            "description": self.description,
            "schema": self.schema,
            **self.openapi_extra,
        }


def collections(user):
    """The collections ``user`` may see: the visible vector layers."""
    return visible_layers(user).exclude(geometry_type="Raster")


def find_collection(user, collection_id: str):
    """The visible vector layer ``collection_id``; 404 when absent or hidden alike."""
    layer = collections(user).filter(slug=collection_id).first()
    if layer is None:
        raise NotFound(_("Колекцію %(id)s не знайдено") % {"id": collection_id})
    return layer


def feature_not_found(feature_id) -> NotFound:
    return NotFound(_("Об'єкт %(id)s не знайдено") % {"id": feature_id})


def _feature_id(value, query, request) -> int:
    try:
        return int(value)
    except ValueError:
        raise feature_not_found(value) from None


def _integer(name, default, minimum, maximum, description, operations) -> Parameter:
    def read(value, query, request) -> int:
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            raise PortalError(
                _("%(name)s має бути цілим числом від %(min)s до %(max)s")
                % {"name": name, "min": minimum, "max": maximum},
                code=f"invalid-{name}",
            )
        return number

    schema = {"type": "integer", "minimum": minimum, "maximum": maximum, "default": default}
    return Parameter(name, frozenset(operations), schema, description, read, into=name)


def _f(value, query, request) -> str:
    if value not in F_VALUES:
        raise PortalError(_("Непідтримуваний формат f=%(f)s") % {"f": value}, code="invalid-f")
    return value


def _filter_lang(value, query, request) -> str:
    if value.lower() not in FILTER_LANGS:
        raise PortalError(
            _("Непідтримувана мова фільтра: %(lang)s") % {"lang": value},
            code="invalid-filter-lang",
        )
    return value


def _filter_crs(value, query, request) -> str:
    """Only CRS84 (filter literals are lon/lat, see layers.query)."""
    if value not in (CRS84, "CRS84"):
        raise PortalError(
            _("Непідтримувана система координат у %(param)s: %(value)s")
            % {"param": "filter-crs", "value": value},
            code="unsupported-crs",
            supported=[CRS84],
        )
    return value


def _fids(value, query, request) -> Q:
    try:
        fids = [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        raise PortalError(
            _("fids має бути списком цілих чисел через кому"), code="invalid-fids"
        ) from None
    return Q(fid__in=fids)


CRS_SCHEMA = {"type": "string", "enum": OFFERED_CRS, "default": CRS84}

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "collectionId", frozenset({COLLECTION, QUERYABLES, ITEMS, ITEM, EXPORT}),
        {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
        "Collection id (the layer's slug)",
        lambda value, query, request: find_collection(request.user, value), into="layer",
        where="path",
    ),
    Parameter(
        "featureId", frozenset({ITEM}), {"type": "integer"}, "Feature id (fid)",
        _feature_id, into="fid", where="path",
    ),
    Parameter(
        "format", frozenset({EXPORT}), {"type": "string", "enum": sorted(FORMATS)},
        "Export file format", lambda value, query, request: check_format(value), into="format",
    ),
    Parameter(
        "f", frozenset(PAGES), {"type": "string", "enum": F_VALUES},
        "Output format: html for a page, json/geojson for data (default: by the Accept header)",
        _f, into="f",
    ),
    _integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, "Page size", PAGED),
    _integer("offset", 0, 0, MAX_OFFSET, "Index of the page's first feature", PAGED),
    Parameter(
        "crs", frozenset(WRITING), CRS_SCHEMA,
        "Output CRS, in its authority axis order (EPSG:4326 is lat,lon; CRS84 lon,lat)",
        lambda value, query, request: crs_uri(value), into="crs",
    ),
    Parameter(
        "bbox-crs", frozenset(SELECTING), CRS_SCHEMA, "CRS of bbox",
        lambda value, query, request: parse_crs(value, "bbox-crs"), into=None,
    ),
    Parameter(
        "bbox", frozenset(SELECTING),
        {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
        "minx,miny,maxx,maxy in bbox-crs (features intersecting it)",
        lambda value, query, request: bbox_filter(value, request.GET.get("bbox-crs")),
        into="conditions", openapi_extra={"style": "form", "explode": False},
    ),
    Parameter(
        "datetime", frozenset(SELECTING), {"type": "string"},
        "RFC 3339 date or interval (a/b, ../b, a/..) on the layer's first date attribute"
        " (ignored when it has none)",
        lambda value, query, request: datetime_filter(query.layer, value), into="conditions",
    ),
    Parameter(
        "filter-lang", frozenset(SELECTING),
        {"type": "string", "enum": FILTER_LANGS, "default": FILTER_LANGS[0]},
        "Language of filter", _filter_lang, into=None,
    ),
    Parameter(
        "filter-crs", frozenset(SELECTING), {"type": "string", "enum": [CRS84], "default": CRS84},
        "CRS of the geometries in filter (CRS84 only)", _filter_crs, into=None,
    ),
    Parameter(
        "filter", frozenset(SELECTING), {"type": "string"},
        "CQL2 filter on the queryables (e.g. area_ha > 0.5 AND S_INTERSECTS(geometry, ...))",
        lambda value, query, request: parse_filter(
            query.layer, value, request.GET.get("filter-lang")
        ),
        into="conditions",
    ),
    Parameter(
        "sortby", frozenset(SELECTING), {"type": "string"},
        "Sort keys: +name,-area_ha (fid breaks ties)",
        lambda value, query, request: parse_sortby(query.layer, value), into="order_by",
    ),
    Parameter(
        "fids", frozenset({EXPORT}), {"type": "string"}, "Comma-separated feature ids",
        _fids, into="conditions",
    ),
)  # fmt: skip


def taken_by(operation: str) -> list[Parameter]:
    """The parameters of ``operation``, in the order they are read."""
    return [p for p in PARAMETERS if operation in p.operations]


def _read(parameter: Parameter, value: str, query: FeatureQuery, request) -> None:
    try:
        result = parameter.read(value, query, request)
    except PortalError as error:
        if error.status == 400:
            error.extra.setdefault("locator", parameter.name)
        raise
    if parameter.into == "conditions":
        if result is not None:
            query.conditions.append(result)
    elif parameter.into:
        setattr(query, parameter.into, result)


def _property_filters(query: FeatureQuery, request, known: set[str]) -> None:
    """``name=value`` on the layer's attributes, each value parsed by its attribute's type."""
    for key, value in request.GET.items():
        if key in known:
            continue
        try:
            query.conditions.append(property_filter(query.layer, key, value))
        except PortalError as error:
            error.extra.setdefault("locator", key)
            raise


def _wants_html(query: FeatureQuery, request) -> bool:
    if query.f:
        return query.f == "html"
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept


def parse(request, operation: str, **path) -> FeatureQuery:
    """Read ``request`` (and the URL's ``path`` parameters, by their OpenAPI names) as
    ``operation`` takes it. An empty query value counts as absent, except for integers."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}")
    query = FeatureQuery(operation)
    parameters = taken_by(operation)
    for parameter in parameters:
        source = path if parameter.where == "path" else request.GET
        value = source.get(parameter.name)
        if value is None or (value == "" and parameter.schema.get("type") != "integer"):
            continue
        _read(parameter, str(value), query, request)
    if operation in SELECTING:
        known = {p.name for p in parameters} | IGNORED.get(operation, set())
        _property_filters(query, request, known)
    if operation in PAGES:
        query.html = _wants_html(query, request)
    return query
