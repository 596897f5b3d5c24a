"""The condition registers: street-light poles with their lamp state and its history, street
segments with their surface condition, incidents (the reports about one asset), inspections
(idempotent per key), and utility outages. Geometries in EPSG:3857 like the layer store."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Condition", "Incident", "IncidentReport", "Inspection", "LampState", "Outage",
    "OutageKind", "Pole", "PoleEvent", "Segment", "Service",
]  # fmt: skip


class LampState(models.TextChoices):
    WORKING = "working", _("працює")
    REPORTED = "reported", _("повідомлено про несправність")
    CONFIRMED = "confirmed", _("несправність підтверджено")
    IN_REPAIR = "in_repair", _("ремонтується")
    REPAIRED = "repaired", _("відремонтовано")


class Condition(models.TextChoices):
    GOOD = "good", _("добрий")
    FAIR = "fair", _("задовільний")
    POOR = "poor", _("поганий")
    CRITICAL = "critical", _("аварійний")


CONDITION_ORDER = [Condition.GOOD, Condition.FAIR, Condition.POOR, Condition.CRITICAL]


class Pole(models.Model):
    """A street-light pole of the register, from the layer holding the ``street-lights`` role
    (kept by street and number, the number painted on it)."""

    number = models.CharField(_("номер"), max_length=40)
    street = models.CharField(_("вулиця"), max_length=200, blank=True)
    settlement = models.CharField(_("населений пункт"), max_length=200, blank=True)
    geom = models.PointField(srid=3857)
    state = models.CharField(_("стан"), max_length=12, choices=LampState.choices,
                             default=LampState.WORKING)  # fmt: skip
    state_since = models.DateTimeField(_("з"), default=timezone.now)

    class Meta:
        verbose_name = _("опора освітлення")
        verbose_name_plural = _("опори освітлення")
        constraints = [
            models.UniqueConstraint(fields=["street", "number"], name="conditions_one_pole")
        ]

    def __str__(self):
        return f"{self.street}, {self.number}"


class PoleEvent(models.Model):
    """One change of a lamp's state: the history."""

    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    old_state = models.CharField(max_length=12, choices=LampState.choices, blank=True)
    state = models.CharField(max_length=12, choices=LampState.choices)
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")  # fmt: skip
    inspection = models.ForeignKey("Inspection", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["at", "pk"]


class Segment(models.Model):
    """A street segment (one part of a street of the ``streets`` layer) and its surface."""

    street = models.CharField(_("вулиця"), max_length=200)
    settlement = models.CharField(_("населений пункт"), max_length=200, blank=True)
    part = models.PositiveIntegerField(default=1)
    source_fid = models.BigIntegerField()
    geom = models.LineStringField(srid=3857)
    length_m = models.FloatField(default=0)
    surface = models.CharField(_("покриття"), max_length=60, blank=True)
    condition = models.CharField(_("стан за оглядом"), max_length=10, choices=Condition.choices,
                                 default=Condition.GOOD)  # fmt: skip
    last_inspection = models.DateField(_("останній огляд"), null=True, blank=True)
    planned_repair_year = models.PositiveSmallIntegerField(_("плановий ремонт, рік"), null=True,
                                                           blank=True)  # fmt: skip

    class Meta:
        verbose_name = _("ділянка вулиці")
        verbose_name_plural = _("ділянки вулиць")
        constraints = [
            models.UniqueConstraint(fields=["source_fid", "part"], name="conditions_one_segment")
        ]

    def __str__(self):
        return f"{self.street} ({self.part})"

    def effective_condition(self, open_reports: int) -> str:
        """One class worse while road reports are open on the segment."""
        if not open_reports:
            return self.condition
        i = CONDITION_ORDER.index(Condition(self.condition))
        return CONDITION_ORDER[min(i + 1, len(CONDITION_ORDER) - 1)]


class Incident(models.Model):
    """The reports about one asset while it is broken: several reports are one incident."""

    pole = models.ForeignKey(Pole, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="incidents")  # fmt: skip
    segment = models.ForeignKey(Segment, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="incidents")  # fmt: skip
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    repaired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pole"], condition=models.Q(closed_at__isnull=True),
                                    name="conditions_one_open_pole_incident"),
            models.UniqueConstraint(fields=["segment"], condition=models.Q(closed_at__isnull=True),
                                    name="conditions_one_open_segment_incident"),
        ]  # fmt: skip


class IncidentReport(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE,
                                  related_name="incident_link")  # fmt: skip


class Inspection(models.Model):
    """An inspector's visit: the state or condition set, a photo; ``key`` is the client's
    idempotency key (an offline queue resending it gets the first answer, nothing doubled)."""

    key = models.CharField(max_length=64, unique=True)
    pole = models.ForeignKey(Pole, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="inspections")  # fmt: skip
    segment = models.ForeignKey(Segment, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="inspections")  # fmt: skip
    state = models.CharField(max_length=12, choices=LampState.choices, blank=True)
    condition = models.CharField(max_length=10, choices=Condition.choices, blank=True)
    surface = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True)
    photo = models.ImageField(upload_to="inspections/%Y/%m/", blank=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    observed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("огляд")
        verbose_name_plural = _("огляди")


class Service(models.TextChoices):
    WATER = "water", _("водопостачання")
    HEATING = "heating", _("опалення")
    ELECTRICITY = "electricity", _("електропостачання")
    GAS = "gas", _("газопостачання")


class OutageKind(models.TextChoices):
    PLANNED = "planned", _("планове")
    EMERGENCY = "emergency", _("аварійне")


class Outage(models.Model):
    """A planned or emergency outage of a communal service over an area (drawn, or resolved
    from the listed streets and house numbers). It is on the map while ``ends_at`` is ahead."""

    service = models.CharField(_("послуга"), max_length=12, choices=Service.choices)
    kind = models.CharField(_("вид"), max_length=10, choices=OutageKind.choices)
    starts_at = models.DateTimeField(_("початок"))
    ends_at = models.DateTimeField(_("кінець"))
    reason = models.TextField(_("причина"), blank=True)
    contact = models.CharField(_("контакт"), max_length=200, blank=True)
    addresses = models.TextField(
        _("адреси"), blank=True,
        help_text=_("Рядок на вулицю: «вулиця Миру: 1, 3, 5-11» (без номерів — уся вулиця)."),
    )  # fmt: skip
    area = models.MultiPolygonField(_("територія"), srid=3857, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("відключення")
        verbose_name_plural = _("відключення")
        indexes = [models.Index(fields=["ends_at"], name="conditions_outage_ends")]

    def __str__(self):
        return f"{self.get_service_display()} {self.starts_at:%Y-%m-%d %H:%M}"
