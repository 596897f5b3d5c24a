"""URLs of the view service: WMS at /wms (mounted without a trailing slash) and its XYZ PNG
tiles at /wms/tiles/{layers}/{z}/{x}/{y}.png."""

from django.urls import path, re_path

from .tiles import wms_tile
from .views import WMSView

urlpatterns = [
    path("", WMSView.as_view(), name="wms"),
    re_path(
        r"^/tiles/(?P<layers>[^/]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.png$",
        wms_tile,
        name="wms-tile",
    ),
]
