"""Personal data of reporters: erasure after the retention period (``purge_personal_data``,
run from cron) or at the resident's request (a staff action in the admin), each leaving an
ErasureRecord; and photo files removed from disk with their Photo (and so with their report).

What is erased: name, e-mail, phone, postal address, the typed location text, the resident's
own description when a moderator edited it, the IP address, the link to the account, the
subscriptions (e-mail addresses), the confirmations' fingerprints and the photos. What stays:
the category, the location, the public description and the handling history, which are the
municipality's record of the problem, not of the person.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from . import conf
from .models import OPEN_STATUSES, Confirmation, ErasureRecord, Photo, Report

__all__ = ["due_for_retention", "erase_personal_data", "notice_context", "purge_expired"]

CONTACT_FIELDS = ("name", "email", "phone", "postal_address", "location_text",
                  "description_original")  # fmt: skip


@transaction.atomic
def erase_personal_data(report: Report, *, reason: str, by=None) -> ErasureRecord:
    """Empty ``report``'s personal data, remove its photos and subscriptions; one audit record."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    emptied = [f for f in CONTACT_FIELDS if getattr(report, f)]
    for name in CONTACT_FIELDS:
        setattr(report, name, "")
    if report.ip is not None:
        emptied.append("ip")
    if report.user_id is not None:
        emptied.append("user")
    report.ip, report.user = None, None
    report.personal_data_erased_at = timezone.now()
    report.save()
    photos = 0
    for photo in report.photos.all():  # one by one: post_delete removes each file
        photo.delete()
        photos += 1
    subscriptions, _ = report.subscriptions.all().delete()
    for confirmation in Confirmation.objects.filter(report=report):
        confirmation.fingerprint = f"erased:{confirmation.pk}"
        confirmation.save(update_fields=["fingerprint"])
    return ErasureRecord.objects.create(
        report_id=report.pk, reason=reason, erased_by=by, fields=emptied,
        photos_removed=photos, subscriptions_removed=subscriptions,
    )  # fmt: skip


def due_for_retention(days: int | None = None, now=None):
    """Closed reports whose last change is older than ``days`` and whose data are not erased."""
    days = conf.RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Report.objects.filter(
        personal_data_erased_at__isnull=True, updated_at__lt=cutoff
    ).exclude(status__in=OPEN_STATUSES)


def purge_expired(days: int | None = None, *, dry_run: bool = False) -> int:
    """Erase the personal data of every report due; return how many."""
    due = list(due_for_retention(days).values_list("pk", flat=True))
    if not dry_run:
        for pk in due:
            erase_personal_data(Report(pk=pk), reason=ErasureRecord.Reason.RETENTION)
    return len(due)


def notice_context(request) -> dict:
    """Template context of the privacy notice (reports/includes/privacy_notice.html)."""
    from django.conf import settings

    from core.conf import HROMADA, setting

    return {
        "privacy": {
            "controller": setting("GEOPORTAL_PRIVACY_CONTROLLER", HROMADA["name_uk"]),
            "contact": setting("GEOPORTAL_PRIVACY_CONTACT", settings.DEFAULT_FROM_EMAIL),
            "retention_days": conf.RETENTION_DAYS,
        }
    }


@receiver(post_delete, sender=Photo)
def remove_photo_file(sender, instance: Photo, **kwargs):
    """The file goes once the deletion is committed (a rolled-back delete keeps it)."""
    if instance.image:
        storage, name = instance.image.storage, instance.image.name
        transaction.on_commit(lambda: storage.delete(name))
