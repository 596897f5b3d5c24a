"""URLs of the locator API (mounted at /api/v1/)."""

from django.urls import path

from .api import LocateView

urlpatterns = [path("locate", LocateView.as_view(), name="locate")]
