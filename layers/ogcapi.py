"""OGC API - Features at /ogc/: Part 1 Core (landing page, conformance, collections, items,
item, GeoJSON), Part 2 CRS (crs, bbox-crs) and Part 3 filtering (CQL2 text/JSON via
layers.query, queryables). Collections are the layers the caller may see (layers.access).

numberMatched: exact count when a filter is given; the registry's feature_count otherwise
(kept by the importer), so an unfiltered page on a 1M-row layer never counts the table.
Errors are problem+json (geoportal.errors). HTML output is not provided yet (JSON only).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from core.errors import PortalError
from core.ratelimit import charge

from . import geojson
from .access import visible_layers
from .dynamic import feature_model
from .query import (
    OFFERED_CRS,
    bbox_filter,
    crs_uri,
    datetime_filter,
    parse_filter,
    parse_sortby,
)

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
]
DEFAULT_LIMIT = 10
HEAVY_LIMIT = 1000  # larger anonymous pages draw on the rate-limit bucket
MAX_LIMIT = 10000
RESERVED = {
    "f", "bbox", "bbox-crs", "crs", "limit", "offset", "filter", "filter-lang", "sortby", "datetime",
}  # fmt: skip
JSON_TYPES = {"string": "string", "integer": "integer", "float": "number", "boolean": "boolean"}


def _json(data, status=200, content_type="application/json", headers=None):
    response = JsonResponse(
        data, status=status, content_type=content_type, json_dumps_params={"ensure_ascii": False}
    )
    for key, value in (headers or {}).items():
        response[key] = value
    return response


class OGCView(View):
    def wants_html(self) -> bool:
        f = self.request.GET.get("f")
        if f:
            if f not in ("json", "html", "geojson"):
                raise PortalError(_("Непідтримуваний формат f=%(f)s") % {"f": f}, code="invalid-f")
            return f == "html"
        accept = self.request.headers.get("Accept", "")
        return "text/html" in accept and "json" not in accept

    def html(self, doc, title, layer=None):
        features = columns = None
        if "features" in doc:
            columns = layer.attribute_names()
            features = [
                {"id": f["id"], "values": [f["properties"].get(c) for c in columns]}
                for f in doc["features"]
            ]
        return render(
            self.request,
            "layers/ogc_page.html",
            {"doc": doc, "title": title, "base": self.base(), "features": features,
             "columns": columns},
        )  # fmt: skip

    def base(self):
        return self.request.build_absolute_uri("/ogc").rstrip("/")

    def layer(self, collection_id):
        layer = (
            visible_layers(self.request.user)
            .exclude(geometry_type="Raster")
            .filter(slug=collection_id)
            .first()
        )
        if layer is None:
            raise PortalError(
                _("Колекцію %(id)s не знайдено") % {"id": collection_id},
                status=404,
                code="not-found",
            )
        return layer


def collection_doc(base, layer):
    url = f"{base}/collections/{layer.slug}"
    doc = {
        "id": layer.slug,
        "title": layer.title_uk,
        "description": layer.description_uk,
        "itemType": "feature",
        "crs": OFFERED_CRS,
        "storageCrs": "http://www.opengis.net/def/crs/EPSG/0/3857",
        "links": [
            {"rel": "self", "type": "application/json", "href": url},
            {"rel": "items", "type": "application/geo+json", "href": f"{url}/items"},
            {
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "type": "application/schema+json",
                "href": f"{url}/queryables",
            },
        ],
    }
    if layer.extent and len(layer.extent) == 4:
        doc["extent"] = {"spatial": {"bbox": [layer.extent], "crs": OFFERED_CRS[0]}}
    return doc


class Landing(OGCView):
    def get(self, request):
        b = self.base()
        doc = {
            "title": "Геопортал громади: OGC API - Features",
            "description": "Векторні шари територіальної громади",
            "links": [
                {"rel": "self", "type": "application/json", "href": f"{b}/"},
                {
                    "rel": "service-desc",
                    "type": "application/vnd.oai.openapi+json;version=3.0",
                    "href": f"{b}/api",
                },
                {"rel": "conformance", "type": "application/json", "href": f"{b}/conformance"},
                {"rel": "data", "type": "application/json", "href": f"{b}/collections"},
            ],
        }
        if self.wants_html():
            return self.html(doc, doc["title"])
        return _json(doc)


class Conformance(OGCView):
    def get(self, request):
        return _json({"conformsTo": CONFORMANCE})


class Collections(OGCView):
    def get(self, request):
        b = self.base()
        layers = visible_layers(request.user).exclude(geometry_type="Raster")
        doc = {
            "links": [{"rel": "self", "type": "application/json", "href": f"{b}/collections"}],
            "collections": [collection_doc(b, layer) for layer in layers],
        }
        if self.wants_html():
            return self.html(doc, _("Колекції"))
        return _json(doc)


class Collection(OGCView):
    def get(self, request, collection_id):
        doc = collection_doc(self.base(), self.layer(collection_id))
        if self.wants_html():
            return self.html(doc, doc["title"])
        return _json(doc)


class Queryables(OGCView):
    def get(self, request, collection_id):
        layer = self.layer(collection_id)
        props = {"geometry": {"$ref": "https://geojson.org/schema/Geometry.json"}}
        for a in layer.attributes:
            t = a.get("type", "string")
            prop = {"title": a.get("title_uk") or a["name"], "type": JSON_TYPES.get(t, "string")}
            if t in ("date", "datetime"):
                prop["format"] = "date" if t == "date" else "date-time"
            props[a["name"]] = prop
        return _json(
            {
                "$schema": "https://json-schema.org/draft/2019-09/schema",
                "$id": f"{self.base()}/collections/{layer.slug}/queryables",
                "type": "object",
                "title": layer.title_uk,
                "properties": props,
            },
            content_type="application/schema+json",
        )


def _int_param(request, name, default, minimum, maximum):
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        raise PortalError(
            _("%(name)s має бути цілим числом від %(min)s до %(max)s")
            % {"name": name, "min": minimum, "max": maximum},
            code=f"invalid-{name}",
        )
    return value


def feature_queryset(layer, request, reserved=frozenset()):
    """The filtered, sorted queryset of ``request``'s items query (no paging)."""
    model = feature_model(layer)
    qs = model.objects.all()
    filtered = False
    params = request.GET
    if params.get("bbox"):
        qs = qs.filter(bbox_filter(params["bbox"], params.get("bbox-crs")))
        filtered = True
    if params.get("datetime"):
        when = datetime_filter(layer, params["datetime"])
        if when is not None:
            qs = qs.filter(when)
            filtered = True
    if params.get("filter"):
        qs = qs.filter(parse_filter(layer, params["filter"], params.get("filter-lang")))
        filtered = True
    names = set(layer.attribute_names())
    for key, value in params.items():
        if key in RESERVED or key in reserved:
            continue
        if key not in names:
            raise PortalError(
                _("Невідомий параметр або властивість: %(name)s") % {"name": key},
                code="unknown-property",
            )
        qs = qs.filter(**{key: value})
        filtered = True
    return qs.order_by(*parse_sortby(layer, params.get("sortby"))), filtered


class Items(OGCView):
    def get(self, request, collection_id):
        layer = self.layer(collection_id)
        limit = _int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _int_param(request, "offset", 0, 0, 10**12)
        if limit > HEAVY_LIMIT:
            charge(request, limit / MAX_LIMIT)
        crs = request.GET.get("crs")
        crs_value = crs_uri(crs)
        qs, filtered = feature_queryset(layer, request)
        features = [
            geojson.feature(*row) for row in geojson.rows(layer, qs[offset : offset + limit], crs)
        ]
        if len(features) < limit and (features or offset == 0):
            matched = offset + len(features)  # a short page is the last one: no COUNT needed
        else:
            matched = qs.count() if filtered else layer.feature_count
        url = f"{self.base()}/collections/{layer.slug}/items"
        args = {k: v for k, v in request.GET.items() if k != "offset"}
        links = [
            {"rel": "self", "type": "application/geo+json", "href": request.build_absolute_uri()}
        ]
        if offset + len(features) < matched:
            q = urlencode({**args, "offset": offset + limit})
            links.append({"rel": "next", "type": "application/geo+json", "href": f"{url}?{q}"})
        if offset > 0:
            q = urlencode({**args, "offset": max(0, offset - limit)})
            links.append({"rel": "prev", "type": "application/geo+json", "href": f"{url}?{q}"})
        members = {"numberMatched": matched, "numberReturned": len(features), "links": links}
        body = "".join(geojson.collection(features, members))
        if self.wants_html():
            return self.html(json.loads(body), layer.title_uk, layer)
        response = HttpResponse(body, content_type="application/geo+json")
        response["Content-Crs"] = f"<{crs_value}>"
        return response


class Item(OGCView):
    def get(self, request, collection_id, feature_id):
        layer = self.layer(collection_id)
        try:
            fid = int(feature_id)
        except ValueError:
            fid = None
        crs = request.GET.get("crs")
        crs_value = crs_uri(crs)
        rows = (
            []
            if fid is None
            else list(geojson.rows(layer, feature_model(layer).objects.filter(fid=fid), crs))
        )
        if not rows:
            raise PortalError(
                _("Об'єкт %(id)s не знайдено") % {"id": feature_id}, status=404, code="not-found"
            )
        response = HttpResponse(geojson.feature(*rows[0]), content_type="application/geo+json")
        response["Content-Crs"] = f"<{crs_value}>"
        return response


class OpenAPI(OGCView):
    def get(self, request):
        from .ogcapi_openapi import openapi_document

        return _json(
            openapi_document(self.base(), visible_layers(request.user)),
            content_type="application/vnd.oai.openapi+json;version=3.0",
        )
