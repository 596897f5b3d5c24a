"""Pages of the condition registers, outages and the budget map (mounted at /)."""

from django.urls import path

from . import pages

urlpatterns = [
    path("budget/", pages.budget_page, name="budget-page"),
    path("outages/", pages.outages_page, name="outages-page"),
    path("conditions/inspect/", pages.inspect_page, name="inspect-page"),
]
