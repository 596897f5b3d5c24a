"""App config of tiles."""

from django.apps import AppConfig


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = "Тайли"

    def ready(self):
        from . import signals  # noqa: F401
