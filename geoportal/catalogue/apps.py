"""App config of the catalogue: connects the signals that keep catalogue records current."""

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "geoportal.catalogue"
    label = "catalogue"
    verbose_name = "Каталог метаданих"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
