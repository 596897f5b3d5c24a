"""App config of residents' problem reports."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "geoportal.reports"
    label = "reports"
    verbose_name = "Повідомлення про проблеми"

    def ready(self):
        from . import photos, privacy  # noqa: F401 -- connect the photo (and thumbnail) file removal
