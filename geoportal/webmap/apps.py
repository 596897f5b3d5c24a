"""App config of the web map."""

from django.apps import AppConfig


class WebmapConfig(AppConfig):
    name = "geoportal.webmap"
    label = "webmap"
    verbose_name = "Веб-карта"
