"""REST API of one layer under /api/v1/layers/<slug>/: schema, style, features (GeoJSON with
bbox / property equality / CQL2 filter / paging / sort, same engine as the OGC API) and exports.

Views are thin: visibility from layers.access (404 when hidden), queries from layers.query /
layers.ogcapi, files from layers.exports, anonymous heavy requests via layers.ratelimit.
"""

from __future__ import annotations

from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from core.errors import PortalError
from core.ratelimit import charge

from . import exports
from .ogcapi import Item, Items, OGCView, feature_queryset
from .query import crs_uri


class LayerMixin:
    def layer(self, slug):  # same rule as the OGC API: 404 when not visible
        return OGCView.layer(self, slug)


class Schema(LayerMixin, OGCView):
    def get(self, request, slug):
        layer = self.layer(slug)
        return JsonResponse(
            {
                "layer": layer.slug,
                "geometry_type": layer.geometry_type,
                "srid": 4326,
                "attributes": layer.attributes,
            },
            json_dumps_params={"ensure_ascii": False},
        )


class Style(LayerMixin, OGCView):
    def get(self, request, slug):
        layer = self.layer(slug)
        return JsonResponse(
            {"layer": layer.slug, "version": layer.version, "style": layer.style},
            json_dumps_params={"ensure_ascii": False},
        )


class Features(Items):
    def get(self, request, slug):
        return super().get(request, slug)


class Feature(Item):
    def get(self, request, slug, fid):
        return super().get(request, slug, str(fid))


class Export(LayerMixin, OGCView):
    """GET ?format=geojson|csv|gpkg|shp|kml&crs=EPSG:6385&bbox=...&filter=...&fids=1,2"""

    def get(self, request, slug):
        layer = self.layer(slug)
        fmt = exports.check_format(request.GET.get("format"))
        crs = request.GET.get("crs")
        crs_uri(crs)  # validate before any work
        charge(request, 1.0, scope="export")
        qs, _filtered = feature_queryset(layer, request, reserved={"format", "fids"})
        if request.GET.get("fids"):
            try:
                fids = [int(v) for v in request.GET["fids"].split(",") if v.strip()]
            except ValueError:
                raise PortalError(
                    _("fids має бути списком цілих чисел через кому"), code="invalid-fids"
                ) from None
            qs = qs.filter(fid__in=fids)
        content_type, ext = exports.FORMATS[fmt]
        if fmt in exports.STREAMED:
            chunks = exports.stream(fmt, layer, qs, crs)
            response = StreamingHttpResponse(
                (chunk.encode("utf-8") for chunk in chunks), content_type=content_type
            )
        else:
            response = FileResponse(
                exports.open_file(layer, qs, fmt, crs), content_type=content_type
            )
        response["Content-Disposition"] = f'attachment; filename="{layer.slug}.{ext}"'
        return response
