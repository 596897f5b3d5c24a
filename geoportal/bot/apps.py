"""Django app config of the messenger bot: connects the status-change receiver."""

from django.apps import AppConfig


class BotConfig(AppConfig):
    name = "geoportal.bot"
    label = "bot"
    verbose_name = "Telegram bot"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (connects to geoportal.reports.signals)
