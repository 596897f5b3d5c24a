"""URLs of the REST API (mounted at /api/v1/)."""

from django.urls import path

from . import api, rest, search_api

urlpatterns = [
    path("layers/", api.LayerList.as_view(), name="layer-list"),
    path("layers/<slug:slug>/", api.LayerDetail.as_view(), name="layer-detail"),
    path("search/", search_api.SearchView.as_view(), name="search"),
    path("layers/<slug:slug>/schema/", rest.Schema.as_view(), name="layer-schema"),
    path("layers/<slug:slug>/style/", rest.Style.as_view(), name="layer-style"),
    path("layers/<slug:slug>/features/", rest.Features.as_view(), name="layer-features"),
    path("layers/<slug:slug>/features/<int:fid>/", rest.Feature.as_view(), name="layer-feature"),
    path("layers/<slug:slug>/export/", rest.Export.as_view(), name="layer-export"),
]
