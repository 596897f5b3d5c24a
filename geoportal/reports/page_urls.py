"""URLs of the report pages (mounted at /reports/)."""

from django.urls import path

from . import pages, resident_page

urlpatterns = [
    path("new/", resident_page.new_report, name="report-new"),
    path("<int:pk>/", pages.report_page, name="report-page"),
    path("dashboard/", pages.dashboard, name="reports-dashboard"),
    path("dashboard/export.csv", pages.export_csv, name="reports-export"),
]
