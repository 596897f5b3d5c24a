"""Tile URLs (mounted at /tiles/). Path parts are matched loosely and parsed in the view, so a
malformed tile path gets a clear problem+json 400/404 instead of Django's HTML 404."""

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(
        r"^raster/(?P<layer>[^/]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.png$",
        views.raster_tile,
        name="raster-tile",
    ),
    re_path(r"^raster/(?P<layer>[^/]+)\.json$", views.raster_tilejson, name="raster-tilejson"),
    re_path(
        r"^(?P<layers>[^/]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.mvt$",
        views.vector_tile,
        name="vector-tile",
    ),
    re_path(r"^(?P<layers>[^/]+)\.json$", views.tilejson, name="tilejson"),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]
