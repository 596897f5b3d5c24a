"""Reporters' personal data: erased after the retention period by `purge_personal_data` (cron)
and at a resident's request by a staff action, each with an audit record; photo files leave
the disk with their report; the privacy notice is on the report form."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from geoportal.reports.intake import to_3857
from geoportal.reports.models import (
    Category,
    Confirmation,
    ErasureRecord,
    Photo,
    Report,
    Status,
    Subscription,
)

from .conftest import jpeg

pytestmark = pytest.mark.django_db
CONTACT = {"name": "Марія Секретна", "email": "maria@example.org", "phone": "+380501112233",
           "postal_address": "вул. Тиха, 5", "location_text": "біля мого дому",
           "description_original": "мій власний текст"}  # fmt: skip


def make(status=Status.RESOLVED, age_days=400, **fields) -> Report:
    category = Category.objects.get(code="light-out")
    report = Report.objects.create(
        category=category, location=to_3857(32.764, 48.11), located_by="pin",
        description="Не світить ліхтар", status=status, ip="10.1.2.3", **CONTACT, **fields,
    )  # fmt: skip
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now() - timedelta(days=age_days))
    Subscription.objects.create(report=report, email="neighbour@example.org")
    Confirmation.objects.create(report=report, fingerprint="ip:10.9.9.9")
    photo = Photo(report=report)
    photo.image.save("p.jpg", ContentFile(jpeg()), save=True)
    report.refresh_from_db()
    return report


def photo_files(report) -> list[Path]:
    return [Path(p.image.path) for p in report.photos.all()]


def assert_erased(report: Report, files: list[Path]):
    report.refresh_from_db()
    for name in CONTACT:
        assert getattr(report, name) == "", name
    assert report.ip is None and report.user is None
    assert report.personal_data_erased_at is not None
    assert report.description == "Не світить ліхтар"  # the municipality's record stays
    assert not report.photos.exists() and not report.subscriptions.exists()
    assert not Confirmation.objects.filter(report=report, fingerprint__startswith="ip:").exists()
    assert files and not any(f.exists() for f in files)


def test_retention_command_erases_closed_old_reports_only(django_capture_on_commit_callbacks):
    old_closed = make()
    old_open = make(status=Status.IN_PROGRESS)
    recent_closed = make(age_days=10)
    files = photo_files(old_closed)
    kept_files = photo_files(old_open) + photo_files(recent_closed)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", "--days", "365", stdout=(out := _Out()))
    assert "erased the personal data of" in out.text
    assert_erased(old_closed, files)
    for report in (old_open, recent_closed):
        report.refresh_from_db()
        assert report.email == CONTACT["email"] and report.personal_data_erased_at is None
    assert all(f.exists() for f in kept_files)
    record = ErasureRecord.objects.get(report_id=old_closed.pk)
    assert record.reason == "retention" and record.erased_by is None
    assert record.photos_removed == 1 and record.subscriptions_removed == 1
    assert {"email", "phone", "ip"} <= set(record.fields)
    assert CONTACT["email"] not in str(record.fields)  # the audit holds no personal data
    with django_capture_on_commit_callbacks(execute=True):  # idempotent: nothing left to do
        call_command("purge_personal_data", "--days", "365", stdout=(again := _Out()))
    assert "of 0 reports" in again.text
    assert ErasureRecord.objects.filter(report_id=old_closed.pk).count() == 1


def test_retention_dry_run_and_bad_days():
    report = make()
    call_command("purge_personal_data", "--days", "365", "--dry-run", stdout=(out := _Out()))
    assert "would erase" in out.text
    report.refresh_from_db()
    assert report.email == CONTACT["email"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--days must be 0 or more"):
        call_command("purge_personal_data", "--days", "-1")


def test_staff_erase_action_on_a_residents_request(admin_client, admin_user,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    report = make(status=Status.NEW, age_days=0)  # an open report, erased on request
    files = photo_files(report)
    with django_capture_on_commit_callbacks(execute=True):
        r = admin_client.post(
            "/admin/reports/report/",
            {"action": "erase_personal_data", "_selected_action": [report.pk]},
        )
    assert r.status_code == 302
    assert_erased(report, files)
    record = ErasureRecord.objects.get(report_id=report.pk)
    assert record.reason == "request" and record.erased_by == admin_user
    page = admin_client.get(f"/admin/reports/erasurerecord/{record.pk}/delete/")
    assert page.status_code == 403  # the audit trail cannot be deleted from the admin


def test_the_action_is_refused_to_a_non_staff_account(client, django_user_model):
    report = make()
    user = django_user_model.objects.create_user("nobody", password="pw-123456789")
    client.force_login(user)
    r = client.post("/admin/reports/report/",
                    {"action": "erase_personal_data", "_selected_action": [report.pk]})  # fmt: skip
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
    report.refresh_from_db()
    assert report.email == CONTACT["email"]


def test_deleting_a_report_removes_its_photo_files(django_capture_on_commit_callbacks):
    report = make()
    files = photo_files(report)
    assert files and all(f.exists() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert not any(f.exists() for f in files)


def test_the_report_form_shows_the_privacy_notice(client):
    page = client.get("/reports/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="privacy-notice"' in html and "365" in html


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass
