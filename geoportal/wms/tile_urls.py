"""URLs of the WMS rendering's XYZ PNG tiles (mounted at /wms/tiles/)."""

from django.urls import re_path

from .tiles import wms_tile

urlpatterns = [
    re_path(
        r"^(?P<layers>[^/]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.png$",
        wms_tile,
        name="wms-tile",
    ),
]
