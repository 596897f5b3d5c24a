"""Tile URLs (mounted at /tiles/)."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("<str:layers>/<int:z>/<int:x>/<int:y>.mvt", views.vector_tile, name="vector-tile"),
    re_path(r"^(?P<layers>[a-z0-9,-]+)\.json$", views.tilejson, name="tilejson"),
]
