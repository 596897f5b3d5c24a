"""The map page: the HTML shell and the configuration the map script starts from."""

from django.shortcuts import render
from django.utils.translation import get_language

from geoportal import conf
from layers.models import Category


def map_page(request):
    config = {
        "center": conf.HROMADA["center"],
        "zoom": conf.HROMADA.get("zoom", 14),
        "extent": conf.HROMADA["extent"],
        "hromada": conf.HROMADA["name_en" if get_language() == "en" else "name_uk"],
        "basemapUrl": conf.BASEMAP_URL,
        "basemapAttribution": conf.BASEMAP_ATTRIBUTION,
        "layersUrl": "/api/v1/layers/",
        "categories": {c.value: str(c.label) for c in Category},
        "language": get_language(),
        "user": {
            "authenticated": request.user.is_authenticated,
            "staff": bool(request.user.is_authenticated and request.user.is_staff),
            "name": request.user.get_username() if request.user.is_authenticated else "",
        },
    }
    return render(request, "webmap/map.html", {"config": config})
