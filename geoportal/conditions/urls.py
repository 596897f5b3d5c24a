"""URLs of the condition API (mounted at /api/v1/)."""

from django.urls import path

from . import api, outage_views

urlpatterns = [
    path("conditions/<slug:name>/legend", api.legend_view, name="conditions-legend"),
    path("conditions/<slug:name>/figures", api.figures_view, name="conditions-figures"),
    path("conditions/inspections", api.inspections_view, name="conditions-inspections"),
    path("conditions/assets", api.assets_view, name="conditions-assets"),
    path("budget/totals", api.budget_totals_view, name="budget-totals"),
    path("outages", outage_views.outages_view, name="outages"),
    path("outages/check", outage_views.check_view, name="outages-check"),
    path("outages/feed.atom", outage_views.OutageFeed(), name="outages-feed"),
]
