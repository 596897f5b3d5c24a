"""URLs of the OGC API - Features (mounted at /ogc/)."""

from django.urls import path

from .ogcapi import views

urlpatterns = [
    path("", views.Landing.as_view(), name="ogc-landing"),
    path("api", views.OpenAPI.as_view(), name="ogc-openapi"),
    path("conformance", views.Conformance.as_view(), name="ogc-conformance"),
    path("collections", views.Collections.as_view(), name="ogc-collections"),
    path("collections/<slug:collection_id>", views.Collection.as_view(), name="ogc-collection"),
    path(
        "collections/<slug:collection_id>/queryables",
        views.Queryables.as_view(),
        name="ogc-queryables",
    ),
    path("collections/<slug:collection_id>/items", views.Items.as_view(), name="ogc-items"),
    path(
        "collections/<slug:collection_id>/items/<str:feature_id>",
        views.Item.as_view(),
        name="ogc-item",
    ),
]
