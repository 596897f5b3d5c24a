"""App config of the view service (WMS)."""

from django.apps import AppConfig


class WmsConfig(AppConfig):
    name = "geoportal.wms"
    label = "wms"
    verbose_name = "WMS"
