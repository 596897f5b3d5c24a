"""App config of the layer registry."""

from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Шари"

    def ready(self):
        from . import signals  # noqa: F401
