"""URLs of the importers: the staff upload page, the import status API and the public page per
layer with its import history (mounted at root)."""

from django.urls import path

from . import views

urlpatterns = [
    path("importers/upload/", views.upload, name="importers-upload"),
    path("importers/crs/", views.crs_search, name="importers-crs"),
    path("layers/<slug:slug>/", views.layer_page, name="layer-page"),
    path("api/v1/imports/<int:pk>/", views.import_status, name="import-status"),
    path("api/v1/imports/<int:pk>/cancel/", views.cancel_import, name="import-cancel"),
]
