"""URLs of the catalogue's JSON search (mounted under /api/v1/)."""

from django.urls import path

from .api import CatalogueSearch

urlpatterns = [path("catalogue/", CatalogueSearch.as_view(), name="catalogue-search")]
