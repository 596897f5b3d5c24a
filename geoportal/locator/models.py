"""The landmark registry: points and lines residents can name (pole and manhole numbers, stop
and facility names, street names, addresses), rebuilt per source layer from the layer store."""

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.utils.translation import gettext_lazy as _

__all__ = ["Landmark", "LandmarkKind", "LandmarkSource"]


class LandmarkKind(models.TextChoices):
    POLE = "pole", _("опора")
    MANHOLE = "manhole", _("колодязь")
    STOP = "stop", _("зупинка")
    STREET = "street", _("вулиця")
    ADDRESS = "address", _("адреса")
    FACILITY = "facility", _("заклад")


class Landmark(models.Model):
    """One thing a resident can name, with its point (or line) in EPSG:3857."""

    layer = models.ForeignKey("layers.Layer", on_delete=models.CASCADE, related_name="landmarks")
    fid = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=LandmarkKind.choices)
    ref = models.CharField(_("як написано"), max_length=300)
    ref_norm = models.CharField(max_length=300)
    street = models.CharField(max_length=300, blank=True)
    street_norm = models.CharField(max_length=300, blank=True)
    settlement = models.CharField(max_length=200, blank=True)
    geom = models.GeometryField(srid=3857)

    class Meta:
        indexes = [
            models.Index(fields=["ref_norm", "kind"], name="locator_ref_norm"),
            models.Index(fields=["street_norm", "ref_norm"], name="locator_street_ref"),
            models.Index(fields=["layer"], name="locator_layer"),
            GinIndex(fields=["ref_norm"], name="locator_ref_trgm", opclasses=["gin_trgm_ops"]),
        ]
        verbose_name = _("орієнтир")
        verbose_name_plural = _("орієнтири")

    def __str__(self):
        return f"{self.kind} {self.ref}"


class LandmarkSource(models.Model):
    """Which version of a layer the registry was built from (rebuilt when it differs)."""

    layer = models.OneToOneField("layers.Layer", on_delete=models.CASCADE, primary_key=True)
    version = models.PositiveIntegerField()
    config = models.CharField(max_length=400, blank=True)
    count = models.IntegerField(default=0)
    built_at = models.DateTimeField(auto_now=True)
