"""App config of the landmark locator."""

from django.apps import AppConfig


class LocatorConfig(AppConfig):
    name = "geoportal.locator"
    label = "locator"
    verbose_name = "Орієнтири"
