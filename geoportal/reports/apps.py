"""App config of residents' problem reports."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "geoportal.reports"
    label = "reports"
    verbose_name = "Повідомлення про проблеми"

    def ready(self):
        from . import privacy  # noqa: F401 -- connects the photo file removal
