"""REST API of one layer under /api/v1/layers/<slug>/: schema, style, features and one
feature, and exports of the layer or a selection.

Features are the OGC API's items and item operations under another URL: the same parameters
(bbox, property equality, CQL2 filter, paging, sort, crs; layers.ogcapi.parameters) and the
same GeoJSON or HTML answer (layers.ogcapi.output). Editors (layers.access.can_edit) also
write them: POST a GeoJSON Feature to features/, PUT or PATCH one (the properties it names and/or
its geometry, lon/lat), DELETE it; each change goes through layers.editing (recorded, revertible,
one version bump). Views are thin: a hidden layer is a 404
like a missing one (layers.ogcapi.parameters.find_collection, by layers.access), files come
from layers.exports, anonymous heavy requests are charged via core.ratelimit, and errors are
PortalErrors that core.errors renders as problem+json.
"""

from __future__ import annotations

import json

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views import View

from core.errors import PortalError
from core.ratelimit import charge

from . import editing, exports
from .access import can_edit
from .ogcapi import output
from .ogcapi.parameters import EXPORT, ITEM, ITEMS, find_collection, parse


def _json(doc) -> JsonResponse:
    return JsonResponse(doc, json_dumps_params={"ensure_ascii": False})


class Schema(View):
    def get(self, request, slug):
        layer = find_collection(request.user, slug)
        return _json(
            {
                "layer": layer.slug,
                "geometry_type": layer.geometry_type,
                "srid": 4326,
                "attributes": layer.attributes,
            }
        )


class Style(View):
    def get(self, request, slug):
        layer = find_collection(request.user, slug)
        return _json({"layer": layer.slug, "version": layer.version, "style": layer.style})


MAX_BODY = 1 << 20  # one feature: a parcel of thousands of vertices is well under a megabyte


def _editable(request, slug):
    layer = find_collection(request.user, slug)
    if not request.user.is_authenticated:
        raise PortalError("sign in as an editor of the layer", status=401, code="unauthorized")
    if not can_edit(request.user, layer):
        raise PortalError(f"you may not edit layer {slug}", status=403, code="forbidden")
    return layer


def _feature_body(request, layer) -> tuple[dict, GEOSGeometry | None]:
    """(typed properties, geometry or None) of the GeoJSON Feature in the request body."""
    if len(request.body) > MAX_BODY:
        raise PortalError("the feature is larger than 1 MB", status=413, code="too-large")
    try:
        doc = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        raise PortalError("the body is not JSON (a GeoJSON Feature)", code="bad-json") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("properties", {}), dict):
        raise PortalError('send a GeoJSON Feature: {"properties": {...}, "geometry": {...}}',
                          code="bad-feature")  # fmt: skip
    values = {
        name: editing.coerce(layer, name, value)
        for name, value in (doc.get("properties") or {}).items()
    }
    geom = None
    if doc.get("geometry") is not None:
        try:
            geom = GEOSGeometry(json.dumps(doc["geometry"]), srid=4326)
        except (GDALException, GEOSException, ValueError, TypeError) as exc:
            raise PortalError(f"the geometry is not valid GeoJSON: {str(exc)[:120]}",
                              code="bad-geometry") from exc  # fmt: skip
    return values, geom


class Features(View):
    """GET: the OGC API's items of the layer (same parameters, same answer); POST: a new
    feature (editors)."""

    def get(self, request, slug):
        query = parse(request, ITEMS, collectionId=slug)
        if query.cost:
            charge(request, query.cost)
        return output.items(request, query)

    def post(self, request, slug):
        layer = _editable(request, slug)
        values, geom = _feature_body(request, layer)
        done = editing.apply(layer, editing.Edits(inserts=[(values, geom)]), request.user, "api")
        fid = done["inserted"][0]
        response = output.item(parse(request, ITEM, collectionId=slug, featureId=str(fid)))
        response.status_code = 201
        response["Location"] = f"/api/v1/layers/{slug}/features/{fid}/"
        return response


class Feature(View):
    def get(self, request, slug, fid):
        return output.item(parse(request, ITEM, collectionId=slug, featureId=str(fid)))

    def put(self, request, slug, fid):
        layer = _editable(request, slug)
        values, geom = _feature_body(request, layer)
        editing.apply(layer, editing.Edits(updates={fid: (values, geom)}), request.user, "api")
        return self.get(request, slug, fid)

    patch = put

    def delete(self, request, slug, fid):
        layer = _editable(request, slug)
        editing.apply(layer, editing.Edits(deletes=[fid]), request.user, "api")
        return HttpResponse(status=204)


class Export(View):
    """GET ?format=geojson|csv|gpkg|shp|kml&crs=EPSG:6385&bbox=...&filter=...&fids=1,2"""

    def get(self, request, slug):
        query = parse(request, EXPORT, collectionId=slug)
        charge(request, 1.0, scope="export")
        layer, fmt, qs = query.layer, query.format, query.queryset()
        content_type, ext = exports.FORMATS[fmt]
        if fmt in exports.STREAMED:
            chunks = exports.stream(fmt, layer, qs, query.crs)
            response = StreamingHttpResponse(
                (chunk.encode("utf-8") for chunk in chunks), content_type=content_type
            )
        else:
            handle = exports.open_file(layer, qs, fmt, query.crs)
            response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{layer.slug}.{ext}"'
        return response
