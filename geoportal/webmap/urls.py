"""Web map URLs: the map page and its small JSON helpers (mounted at the site root)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("api/v1/parcels/<int:fid>/card/", views.parcel_card, name="parcel-card"),
    path("api/v1/webmap/features/<slug:slug>/<int:fid>/", views.feature, name="webmap-feature"),
    path("api/v1/webmap/facilities/", views.facilities, name="webmap-facilities"),
    path("api/v1/webmap/street-labels/", views.street_labels, name="webmap-street-labels"),
    path("api/v1/webmap/share/", views.share_map, name="webmap-share"),
]
