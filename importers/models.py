"""The record of each import: who, when, which file, what happened."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Виконується")
        DONE = "done", _("Завершено")
        FAILED = "failed", _("Помилка")
        DRY_RUN = "dry-run", _("Перевірка без запису")
        CANCELLED = "cancelled", _("Скасовано")

    layer_slug = models.CharField(max_length=48, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    file_name = models.CharField(max_length=300)
    checksum = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    features_read = models.BigIntegerField(default=0)
    features_imported = models.BigIntegerField(default=0)
    features_repaired = models.BigIntegerField(default=0)
    features_rejected = models.BigIntegerField(default=0)
    layer_version = models.PositiveIntegerField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    # the importer's error code (what the upload page words for the person: importers.messages)
    error_code = models.CharField(max_length=40, blank=True, default="", db_default="")
    # a dry run over an existing layer: features it would add, remove, change, keep
    preview = models.JSONField(default=dict, blank=True, null=True)  # null: rows older writers made
    progress = models.FloatField(default=0.0)
    # The schema the import produced, so that a rollback to this version restores it too.
    attributes = models.JSONField(default=list, blank=True)
    geometry_type = models.CharField(max_length=20, blank=True)
    # Set by staff on the upload page; the job checks it between batches and rolls back.
    cancel_requested = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("імпорт")
        verbose_name_plural = _("імпорти")

    def __str__(self):
        return f"{self.layer_slug} {self.file_name} {self.status}"
