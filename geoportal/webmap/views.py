"""Web map views: the HTML shell with its start configuration, the parcel card, the
accessibility facilities GeoJSON and the shareable static map download. Thin: domain logic
lives in cards.py, accessibility.py and export.py."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core import conf as core_conf
from geoportal import conf
from layers.models import Category
from layers.roles import role_map

from . import accessibility, cards, export, features, labels
from .groups import panel_groups


def _language() -> str:
    return get_language() or "uk"


def map_page(request):
    config = {
        "center": core_conf.HROMADA["center"],
        "zoom": core_conf.HROMADA.get("zoom", 14),
        "extent": core_conf.HROMADA["extent"],
        "hromada": core_conf.HROMADA["name_en" if _language() == "en" else "name_uk"],
        "basemapUrl": conf.BASEMAP_URL,
        "basemapAttribution": conf.BASEMAP_ATTRIBUTION,
        "layersUrl": "/api/v1/layers/",
        "searchUrl": "/api/v1/search/",
        "facilitiesUrl": "/api/v1/webmap/facilities/",
        "cardUrl": "/api/v1/parcels/{fid}/card/",
        "featureUrl": "/api/v1/webmap/features/{slug}/{fid}/",
        "exportUrl": "/api/v1/layers/{slug}/export/",
        "shareUrl": "/api/v1/webmap/share/",
        "labelsUrl": "/api/v1/webmap/street-labels/",
        "reportUrl": "/reports/new/",
        "reportsUrl": "/api/v1/reports/",
        "categories": {c.value: str(c.label) for c in Category},
        "groups": panel_groups(request.user),
        "roles": role_map(request.user),  # {role: slug}: the parcels, streets... layers by role
        "language": _language(),
        "user": {
            "authenticated": request.user.is_authenticated,
            "staff": bool(request.user.is_authenticated and request.user.is_staff),
            "name": request.user.get_username() if request.user.is_authenticated else "",
        },
    }
    return render(request, "webmap/map.html", {"config": config})


@require_GET
def parcel_card(request, fid: int):
    return JsonResponse(cards.parcel_card(request.user, fid, _language()))


@require_GET
def feature(request, slug: str, fid: int):
    return JsonResponse(
        features.feature_info(request.user, slug, fid), json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def facilities(request):
    return JsonResponse(
        accessibility.facilities(request.user, _language()),
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def share_map(request):
    """The current selection as a standalone HTML map, downloaded as a file."""
    bbox = export.parse_bbox(request.GET.get("bbox", ""))
    slugs = [s for s in request.GET.get("layers", "").split(",") if s]
    html = export.build_map(request.user, slugs, bbox, _language())
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="map.html"'
    return response


@require_GET
def street_labels(request):
    response = JsonResponse(
        {"places": labels.place_labels(request.user)}  # ?only=places: settlement anchors alone
        if request.GET.get("only") == "places"
        else {
            "labels": labels.street_labels(request.user),
            "places": labels.place_labels(request.user),
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "private, max-age=300"  # depends on who may see streets
    return response
