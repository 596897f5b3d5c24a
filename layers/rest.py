"""REST API of one layer under /api/v1/layers/<slug>/: schema, style, features and one
feature, and exports of the layer or a selection.

Features are the OGC API's items and item operations under another URL: the same parameters
(bbox, property equality, CQL2 filter, paging, sort, crs; layers.ogcapi.parameters) and the
same GeoJSON or HTML answer (layers.ogcapi.output). Views are thin: a hidden layer is a 404
like a missing one (layers.ogcapi.parameters.find_collection, by layers.access), files come
from layers.exports, anonymous heavy requests are charged via core.ratelimit, and errors are
PortalErrors that core.errors renders as problem+json.
"""

from __future__ import annotations

from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.views import View

from core.ratelimit import charge

from . import exports
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


class Features(View):
    """GET: the OGC API's items of the layer (same parameters, same answer)."""

    def get(self, request, slug):
        query = parse(request, ITEMS, collectionId=slug)
        if query.cost:
            charge(request, query.cost)
        return output.items(request, query)


class Feature(View):
    def get(self, request, slug, fid):
        return output.item(parse(request, ITEM, collectionId=slug, featureId=str(fid)))


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
