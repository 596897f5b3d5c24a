"""URLs of the condition API (mounted at /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("conditions/<slug:name>/legend", api.legend_view, name="conditions-legend"),
    path("conditions/<slug:name>/figures", api.figures_view, name="conditions-figures"),
]
