"""What the OGC API - Features answers (also the REST features API of layers.rest): the JSON
documents (landing page, conformance, collections, queryables, the OpenAPI document), the HTML
pages (layers/ogc_page.html, for f=html or a browser's Accept) and the GeoJSON items pages and
items, written by layers.geojson.

numberMatched: a short page is the last one (offset + its length); otherwise an exact count
when a condition is given and the registry's feature_count when not (kept by the importer),
so an unfiltered page of a 1M-row layer never counts the table.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from .. import geojson
from ..query import OFFERED_CRS
from .parameters import feature_not_found

__all__ = [
    "CONFORMANCE",
    "base_url",
    "collection",
    "collections",
    "conformance",
    "document",
    "item",
    "items",
    "json_response",
    "landing",
    "queryables",
]

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
STORAGE_CRS = "http://www.opengis.net/def/crs/EPSG/0/3857"
JSON_TYPES = {"string": "string", "integer": "integer", "float": "number", "boolean": "boolean"}
GEOJSON = "application/geo+json"


def base_url(request) -> str:
    """The absolute URL of the OGC API's landing page, without its trailing slash."""
    return request.build_absolute_uri("/ogc").rstrip("/")


def json_response(doc, content_type: str = "application/json") -> JsonResponse:
    return JsonResponse(doc, content_type=content_type, json_dumps_params={"ensure_ascii": False})


# -- documents -------------------------------------------------------------------------------


def landing(base: str) -> dict:
    return {
        "title": "Геопортал громади: OGC API - Features",
        "description": "Векторні шари територіальної громади",
        "links": [
            {"rel": "self", "type": "application/json", "href": f"{base}/"},
            {
                "rel": "service-desc",
                "type": "application/vnd.oai.openapi+json;version=3.0",
                "href": f"{base}/api",
            },
            {"rel": "conformance", "type": "application/json", "href": f"{base}/conformance"},
            {"rel": "data", "type": "application/json", "href": f"{base}/collections"},
        ],
    }


def conformance() -> dict:
    return {"conformsTo": CONFORMANCE}


def collection(base: str, layer) -> dict:
    url = f"{base}/collections/{layer.slug}"
    doc = {
        "id": layer.slug,
        "title": layer.title_uk,
        "description": layer.description_uk,
        "itemType": "feature",
        "crs": OFFERED_CRS,
        "storageCrs": STORAGE_CRS,
        "links": [
            {"rel": "self", "type": "application/json", "href": url},
            {"rel": "items", "type": GEOJSON, "href": f"{url}/items"},
            {
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "type": "application/schema+json",
                "href": f"{url}/queryables",
            },
        ],
    }
    if layer.extent and len(layer.extent) == 4:
        doc["extent"] = {"spatial": {"bbox": [layer.extent], "crs": OFFERED_CRS[0]}}
    _provenance(doc, layer)
    return doc


def _provenance(doc: dict, layer) -> None:
    """Attribution, licence, source and the date of the data, as map clients show them."""
    doc["attribution"] = layer.attribution or layer.source or None
    doc["license"] = layer.licence or None
    doc["source"] = layer.source or None
    doc["updated"] = layer.data_updated_at.isoformat() if layer.data_updated_at else None
    if layer.licence.startswith(("http://", "https://")):
        doc["links"].append({"rel": "license", "href": layer.licence})
    doc["links"].append(
        {"rel": "describedby", "type": "text/html", "href": f"/layers/{layer.slug}/"}
    )


def collections(base: str, layers) -> dict:
    return {
        "links": [{"rel": "self", "type": "application/json", "href": f"{base}/collections"}],
        "collections": [collection(base, layer) for layer in layers],
    }


def queryables(base: str, layer) -> dict:
    """The layer's attributes (and its geometry) as a JSON Schema."""
    props = {"geometry": {"$ref": "https://geojson.org/schema/Geometry.json"}}
    for attribute in layer.attributes:
        kind = attribute.get("type", "string")
        prop = {
            "title": attribute.get("title_uk") or attribute["name"],
            "type": JSON_TYPES.get(kind, "string"),
        }
        if kind in ("date", "datetime"):
            prop["format"] = "date" if kind == "date" else "date-time"
        props[attribute["name"]] = prop
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": f"{base}/collections/{layer.slug}/queryables",
        "type": "object",
        "title": layer.title_uk,
        "properties": props,
    }


# -- pages -----------------------------------------------------------------------------------


def _html(request, doc: dict, title: str, layer=None, rows=None) -> HttpResponse:
    features = columns = None
    if rows is not None:
        columns = layer.attribute_names()
        features = [
            {"id": fid, "values": [_plain(props.get(c)) for c in columns]}
            for fid, props, _geometry in rows
        ]
    context = {"doc": doc, "title": title, "base": base_url(request), "features": features,
               "columns": columns}  # fmt: skip
    return render(request, "layers/ogc_page.html", context)


def _plain(value):
    """A property value as its GeoJSON text shows it (dates as ISO text)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def document(request, query, doc: dict, title: str) -> HttpResponse:
    """``doc`` as JSON, or as the HTML page ``title`` when the client asked for HTML."""
    return _html(request, doc, title) if query.html else json_response(doc)


# -- features --------------------------------------------------------------------------------


def _page(query) -> tuple[list, int]:
    """The page's rows and numberMatched."""
    qs = query.queryset()
    page = qs[query.offset : query.offset + query.limit]
    rows = list(geojson.rows(query.layer, page, query.crs))
    if len(rows) < query.limit and (rows or query.offset == 0):
        return rows, query.offset + len(rows)  # a short page is the last one: no COUNT needed
    return rows, qs.count() if query.filtered else query.layer.feature_count


def _links(request, query, returned: int, matched: int) -> list[dict]:
    url = f"{base_url(request)}/collections/{query.layer.slug}/items"
    args = {k: v for k, v in request.GET.items() if k != "offset"}
    links = [{"rel": "self", "type": GEOJSON, "href": request.build_absolute_uri()}]
    if query.offset + returned < matched:
        q = urlencode({**args, "offset": query.offset + query.limit})
        links.append({"rel": "next", "type": GEOJSON, "href": f"{url}?{q}"})
    if query.offset > 0:
        q = urlencode({**args, "offset": max(0, query.offset - query.limit)})
        links.append({"rel": "prev", "type": GEOJSON, "href": f"{url}?{q}"})
    return links


def _geojson_response(body: str, crs: str) -> HttpResponse:
    response = HttpResponse(body, content_type=GEOJSON)
    response["Content-Crs"] = f"<{crs}>"
    return response


def items(request, query) -> HttpResponse:
    """One page of the selection: a FeatureCollection with paging links, or its HTML table."""
    rows, matched = _page(query)
    members = {
        "numberMatched": matched,
        "numberReturned": len(rows),
        "links": _links(request, query, len(rows), matched),
    }
    if query.html:
        return _html(request, members, query.layer.title_uk, query.layer, rows)
    features = (geojson.feature(*row) for row in rows)
    return _geojson_response("".join(geojson.collection(features, members)), query.crs)


def item(query) -> HttpResponse:
    """The one feature the query selects, as a GeoJSON Feature."""
    rows = list(geojson.rows(query.layer, query.queryset(), query.crs))
    if not rows:
        raise feature_not_found(query.fid)
    return _geojson_response(geojson.feature(*rows[0]), query.crs)
