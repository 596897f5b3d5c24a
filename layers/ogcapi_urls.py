"""URLs of the OGC API - Features (mounted at /ogc/)."""

from django.urls import path

from . import ogcapi

urlpatterns = [
    path("", ogcapi.Landing.as_view(), name="ogc-landing"),
    path("api", ogcapi.OpenAPI.as_view(), name="ogc-openapi"),
    path("conformance", ogcapi.Conformance.as_view(), name="ogc-conformance"),
    path("collections", ogcapi.Collections.as_view(), name="ogc-collections"),
    path("collections/<slug:collection_id>", ogcapi.Collection.as_view(), name="ogc-collection"),
    path(
        "collections/<slug:collection_id>/queryables",
        ogcapi.Queryables.as_view(),
        name="ogc-queryables",
    ),
    path("collections/<slug:collection_id>/items", ogcapi.Items.as_view(), name="ogc-items"),
    path(
        "collections/<slug:collection_id>/items/<str:feature_id>",
        ogcapi.Item.as_view(),
        name="ogc-item",
    ),
]
