"""URLs of the REST API (mounted at /api/v1/)."""

from django.urls import path

from . import api, search_api

urlpatterns = [
    path("layers/", api.LayerList.as_view(), name="layer-list"),
    path("layers/<slug:slug>/", api.LayerDetail.as_view(), name="layer-detail"),
    path("search/", search_api.SearchView.as_view(), name="search"),
]
