"""URLs of the report API (mounted at /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("reports", api.ReportsView.as_view(), name="reports"),
    path("reports/", api.ReportsAliasView.as_view()),
    path("reports/nearby", api.NearbyView.as_view(), name="reports-nearby"),
    path("reports/<int:pk>", api.ReportView.as_view(), name="report"),
    path("reports/<int:pk>/confirm", api.ConfirmView.as_view(), name="report-confirm"),
    path("reports/<int:pk>/subscribe", api.SubscribeView.as_view(), name="report-subscribe"),
    path("reports/<int:pk>/status", api.StatusView.as_view(), name="report-status"),
    path("reports/<int:pk>/assign", api.AssignView.as_view(), name="report-assign"),
    path("reports/<int:pk>/moderate", api.ModerateView.as_view(), name="report-moderate"),
]
