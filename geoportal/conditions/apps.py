"""App config of the condition registers, outages and the budget map."""

from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "geoportal.conditions"
    label = "conditions"
    verbose_name = "Стан об'єктів і комунальні послуги"

    def ready(self):
        from . import signals  # noqa: F401 -- reports drive the asset states
