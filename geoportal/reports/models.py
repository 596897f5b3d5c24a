"""Residents' problem reports and who handles them: Category, Department, Area, Report,
ReportUpdate, Photo, Confirmation, Subscription, BannedSender, ApiKey.

Geometry is EPSG:3857 like the layer store and the landmark registry. What is private
(the reporter's name, e-mail, phone, postal address, IP, the typed location text) lives only
in Report's fields listed in PRIVATE_FIELDS; public outputs are built by
``geoportal.reports.public`` from an explicit allow-list, never from the model.
"""

import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ApiKey", "Area", "ResponseTemplate", "BannedSender", "Category", "Confirmation", "Department", "Photo",
           "Report", "ReportUpdate", "Status", "Subscription", "PRIVATE_FIELDS"]  # fmt: skip

PRIVATE_FIELDS = ("name", "email", "phone", "postal_address", "ip", "location_text", "user",
                  "description_original")  # fmt: skip


class Department(models.Model):
    """A body that fixes things (roads, street lighting, water and sewer utility, ...)."""

    code = models.SlugField(unique=True, max_length=40)
    name_uk = models.CharField(_("назва"), max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    dispatcher = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    class Meta:
        ordering = ["name_uk"]
        verbose_name = _("підрозділ")
        verbose_name_plural = _("підрозділи")

    def __str__(self):
        return self.name_uk


class Category(models.Model):
    """A kind of problem (Open311 service): its department, extra questions and deadlines.

    ``questions`` is the list validated by ``questions.validate_answers``:
    [{name, label_uk, label_en, type: text|choice|bool, choices, required}].
    """

    code = models.SlugField(unique=True, max_length=40)
    title_uk = models.CharField(_("назва"), max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    description_uk = models.TextField(blank=True)
    group = models.CharField(max_length=40, blank=True)  # Open311 "group": roads, lighting...
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="categories")
    questions = models.JSONField(default=list, blank=True)
    response_days = models.PositiveSmallIntegerField(_("строк реагування, днів"), default=14)
    appeal_days = models.PositiveSmallIntegerField(
        _("строк розгляду звернення, днів"), null=True, blank=True,
        help_text=_("30 за законом, 15 — якщо звернення не потребує додаткового вивчення"),
    )  # fmt: skip
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("категорія")
        verbose_name_plural = _("категорії")

    def __str__(self):
        return self.title_uk


class Area(models.Model):
    """A department's service area: reports inside it go to its department and dispatcher.

    With ``categories`` empty the area serves every category of its department."""

    name = models.CharField(_("назва"), max_length=200)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="areas")
    categories = models.ManyToManyField(Category, blank=True, related_name="areas")
    dispatcher = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    geom = models.MultiPolygonField(srid=3857)

    class Meta:
        verbose_name = _("зона обслуговування")
        verbose_name_plural = _("зони обслуговування")

    def __str__(self):
        return f"{self.name} ({self.department})"


class Status(models.TextChoices):
    NEW = "new", _("нове")
    CONFIRMED = "confirmed", _("підтверджено")
    IN_PROGRESS = "in_progress", _("у роботі")
    RESOLVED = "resolved", _("вирішено")
    REJECTED = "rejected", _("відхилено")
    DUPLICATE = "duplicate", _("дублікат")


OPEN_STATUSES = (Status.NEW, Status.CONFIRMED, Status.IN_PROGRESS)


class LocatedBy(models.TextChoices):
    PIN = "pin", _("позначка на мапі")
    GPS = "gps", _("GPS телефона")
    LANDMARKS = "landmarks", _("орієнтири")
    TEXT = "text", _("опис місця")
    PHOTO = "photo", _("GPS фото")


class Report(models.Model):
    """One problem a resident reported (a formal appeal when ``is_appeal``)."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    location = models.PointField(srid=3857)
    # Where the public sees the report when that differs from ``location``: a report placed by
    # a staff-only landmark (a manhole's number) is shown at the landmark's shielded cell
    # (geoportal/locator/shield.py), so public outputs never give the asset's exact position.
    public_location = models.PointField(srid=3857, null=True, blank=True)
    located_by = models.CharField(max_length=10, choices=LocatedBy.choices)
    location_text = models.TextField(blank=True)  # what the resident typed: private
    locator_confidence = models.FloatField(null=True, blank=True)
    locator_uncertainty_m = models.FloatField(null=True, blank=True)
    locator_explanation = models.TextField(blank=True)
    description = models.TextField(_("опис"), blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # Contact: private, never in a public output.
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_appeal = models.BooleanField(_("офіційне звернення"), default=False)
    postal_address = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="reports")  # fmt: skip
    ip = models.GenericIPAddressField(null=True, blank=True)
    source = models.CharField(max_length=20, default="web")  # web, open311:<key name>
    # Handling.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicates")  # fmt: skip
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="reports")  # fmt: skip
    dispatcher = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="dispatched_reports")  # fmt: skip
    deadline = models.DateTimeField(null=True, blank=True)
    description_hidden = models.BooleanField(_("опис приховано модератором"), default=False)
    # The resident's own text when a moderator edited the description: staff-only.
    description_original = models.TextField(_("початковий опис"), blank=True)
    # When the reporter's personal data were erased (retention period or their request).
    personal_data_erased_at = models.DateTimeField(
        _("персональні дані видалено"), null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "category"], name="reports_status_category")]
        verbose_name = _("повідомлення про проблему")
        verbose_name_plural = _("повідомлення про проблеми")

    def __str__(self):
        return f"#{self.pk} {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < timezone.now()


class ReportUpdate(models.Model):
    """One change of a report (status, department, moderation), with its public note."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    created_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    old_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    note = models.TextField(_("публічна примітка"), blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("зміна стану")
        verbose_name_plural = _("зміни стану")


class ResponseTemplate(models.Model):
    """A canned public note for a status change ("Роботи виконано...")."""

    code = models.SlugField(unique=True, max_length=40)
    title = models.CharField(_("назва"), max_length=200)
    text = models.TextField(_("текст"))
    status = models.CharField(max_length=12, choices=Status.choices, blank=True)

    class Meta:
        ordering = ["status", "code"]
        verbose_name = _("шаблон відповіді")
        verbose_name_plural = _("шаблони відповідей")

    def __str__(self):
        return self.title


class Photo(models.Model):
    """A cleaned photo (re-encoded JPEG without EXIF); ``hidden`` by a moderator."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="reports/%Y/%m/")
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("фото")
        verbose_name_plural = _("фото")


class Confirmation(models.Model):
    """ "I see it too": one per account or IP address and report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="confirmations")
    fingerprint = models.CharField(max_length=80)  # "user:<id>" or "ip:<address>": private
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "fingerprint"],
                                               name="reports_one_confirmation")]  # fmt: skip


class Subscription(models.Model):
    """An e-mail address notified of every status change of the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "email"],
                                               name="reports_one_subscription")]  # fmt: skip


class BannedSender(models.Model):
    """An e-mail, IP address or account whose reports are refused."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("e-mail")
        IP = "ip", _("IP-адреса")
        USER = "user", _("обліковий запис (логін)")

    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=254)
    reason = models.CharField(max_length=300, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="reports_one_ban")]
        verbose_name = _("заблокований відправник")
        verbose_name_plural = _("заблоковані відправники")

    def __str__(self):
        return f"{self.kind}: {self.value}"


def _new_key() -> str:
    return secrets.token_urlsafe(24)


class ApiKey(models.Model):
    """An Open311 api_key of a client (a mobile app, a chat bot)."""

    name = models.CharField(max_length=100, unique=True)
    key = models.CharField(max_length=64, unique=True, default=_new_key)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ключ Open311")
        verbose_name_plural = _("ключі Open311")

    def __str__(self):
        return self.name


class ErasureRecord(models.Model):
    """The audit trail of erased personal data: which report, why, by whom, what went.
    Holds no personal data itself (Law of Ukraine "On Personal Data Protection", art. 8, 15)."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("строк зберігання минув")
        REQUEST = "request", _("на вимогу заявника")

    report_id = models.BigIntegerField(db_index=True)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    fields = models.JSONField(default=list)  # names of the fields emptied
    photos_removed = models.PositiveIntegerField(default=0)
    subscriptions_removed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("запис про видалення персональних даних")
        verbose_name_plural = _("записи про видалення персональних даних")

    def __str__(self):
        return f"#{self.report_id} {self.get_reason_display()} {self.created_at:%Y-%m-%d}"
