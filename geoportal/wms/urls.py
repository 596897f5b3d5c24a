"""URLs of the view service: WMS at /wms (mounted without a trailing slash)."""

from django.urls import path

from .views import WMSView

urlpatterns = [path("", WMSView.as_view(), name="wms")]
