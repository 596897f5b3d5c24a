"""App config of the operations app (health, logs, backups)."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "geoportal.ops"
    label = "ops"
    verbose_name = "Експлуатація"
