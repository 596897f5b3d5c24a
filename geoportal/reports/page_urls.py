"""URLs of the report pages (mounted at /reports/)."""

from django.urls import path

from . import pages, resident_page, staff_pages

urlpatterns = [
    path("new/", resident_page.new_report, name="report-new"),
    path("<int:pk>/", pages.report_page, name="report-page"),
    path("dashboard/", pages.dashboard, name="reports-dashboard"),
    path("dashboard/export.csv", pages.export_csv, name="reports-export"),
    path("desk/", staff_pages.next_report, name="reports-desk-next"),
    path("dashboard/heatmap.json", staff_pages.heatmap, name="reports-heatmap"),
    path("dashboard/<int:pk>/", staff_pages.report_desk, name="report-desk"),
    path("dashboard/<int:pk>/<slug:action>", staff_pages.report_action, name="report-action"),
]
