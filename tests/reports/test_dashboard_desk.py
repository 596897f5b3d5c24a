"""The staff handling page (/reports/dashboard/{id}/) with its forms, and the dashboard's
heatmap data: every action changes the report through the workflow, records a ReportUpdate
and (for status changes) mails the reporter; only staff get in; the heatmap follows the
filters and carries counts only."""

import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from geoportal.reports.intake import to_3857
from geoportal.reports.models import Category, Photo, Report, ReportUpdate

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def make(category="light-out", lat=48.11, lon=32.764, **fields):
    category = Category.objects.get(code=category)
    fields = {"email": "r@example.org", "name": "Марія Секретна", "phone": "+380501112233",
              "description": "Не світить третій день", "department": category.department,
              "deadline": timezone.now() + timedelta(days=5), **fields}  # fmt: skip
    return Report.objects.create(category=category, location=to_3857(lon, lat),
                                 located_by="pin", **fields)  # fmt: skip


def desk(pk):
    return f"/reports/dashboard/{pk}/"


def post(client, pk, action, data):
    return client.post(f"{desk(pk)}{action}", data)


def form_html(page: str, action: str) -> str:
    """The HTML of one action's form on the page (to check an error sits next to its field)."""
    m = re.search(rf'<details class="action" id="action-{action}".*?</details>', page, re.S)
    assert m, action
    return m.group(0)


def test_only_staff_get_in(client, staff, resident):
    report = make()
    r = client.get(desk(report.pk))
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next=")
    assert post(client, report.pk, "status", {"status": "confirmed"}).status_code == 302
    client.force_login(resident)
    assert client.get(desk(report.pk)).status_code == 404
    assert post(client, report.pk, "status", {"status": "confirmed"}).status_code == 404
    assert client.get("/reports/dashboard/heatmap.json").status_code == 404
    assert client.get("/reports/dashboard/").status_code == 404
    assert Report.objects.get(pk=report.pk).status == "new"
    client.force_login(staff)
    page = client.get(desk(report.pk)).content.decode()
    # The private contact is shown to staff, with the deadline.
    assert "Марія Секретна" in page and "r@example.org" in page and "+380501112233" in page
    # in the portal's time zone (Europe/Kyiv: the UTC date differs late at night), Ukrainian format
    assert (
        timezone.localtime(report.deadline).strftime("%d.%m.%Y %H:%M") in page
    )  # 07.12.2026 03:14
    assert "прострочено" not in page
    assert "Змінити стан" in page
    english = client.get(desk(report.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Change the status" in english and "Contact (staff only)" in english
    assert client.get(desk(999999)).status_code == 404
    assert post(client, report.pk, "nope", {}).status_code == 404
    Report.objects.filter(pk=report.pk).update(deadline=timezone.now() - timedelta(days=1))
    assert 'id="deadline" class="overdue"' in client.get(desk(report.pk)).content.decode()


def test_posts_need_the_csrf_token(staff):
    report = make()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert post(client, report.pk, "status", {"status": "confirmed"}).status_code == 403
    assert Report.objects.get(pk=report.pk).status == "new"
    page = client.get(desk(report.pk)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    r = post(client, report.pk, "status", {"status": "confirmed", "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and Report.objects.get(pk=report.pk).status == "confirmed"


def test_status_with_a_template_notifies_and_shows_in_history(
    client, staff, django_capture_on_commit_callbacks, mailoutbox
):
    report = make()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        r = post(client, report.pk, "status", {"status": "in_progress", "template": "in-progress"})
    assert r.status_code == 302 and r["Location"] == desk(report.pk)
    update = ReportUpdate.objects.get(report=report)
    assert (update.old_status, update.status, update.user) == ("new", "in_progress", staff)
    assert update.note.startswith("Бригаду направлено")
    assert [m.to for m in mailoutbox] == [["r@example.org"]]
    assert "Бригаду направлено" in mailoutbox[0].body
    page = client.get(desk(report.pk)).content.decode()
    assert "Зміни збережено." in page
    history = re.search(r'<ol class="history" id="history">.*?</ol>', page, re.S).group(0)
    assert "Бригаду направлено" in history and "у роботі" in history
    # An impossible transition is a field error next to the status, nothing changes.
    r = post(client, report.pk, "status", {"status": "new"})
    assert r.status_code == 400
    assert "Недоступний стан." in form_html(r.content.decode(), "status")
    assert ReportUpdate.objects.filter(report=report).count() == 1


def test_reject_needs_a_reason(client, staff, django_capture_on_commit_callbacks, mailoutbox):
    report = make()
    client.force_login(staff)
    r = post(client, report.pk, "reject", {"reason": "  "})
    assert r.status_code == 400
    html = form_html(r.content.decode(), "reject")
    assert "Вкажіть причину відхилення." in html and 'name="reason"' in html
    assert Report.objects.get(pk=report.pk).status == "new" and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        r = post(client, report.pk, "reject", {"reason": "Опора не належить громаді"})
    assert r.status_code == 302 and Report.objects.get(pk=report.pk).status == "rejected"
    assert ReportUpdate.objects.get(report=report).note == "Опора не належить громаді"
    assert len(mailoutbox) == 1 and "Опора не належить громаді" in mailoutbox[0].body


def test_duplicate_merges_into_the_original(
    client, staff, django_capture_on_commit_callbacks, mailoutbox
):
    original, dup = make(email="first@example.org"), make(email="second@example.org")
    client.force_login(staff)
    r = post(client, dup.pk, "duplicate", {"duplicate_of": "999999"})
    assert r.status_code == 400
    assert "Немає повідомлення №999999." in form_html(r.content.decode(), "duplicate")
    r = post(client, dup.pk, "duplicate", {"duplicate_of": str(dup.pk)})
    assert "не може бути дублікатом самого себе" in form_html(r.content.decode(), "duplicate")
    with django_capture_on_commit_callbacks(execute=True):
        r = post(client, dup.pk, "duplicate", {"duplicate_of": str(original.pk)})
    assert r.status_code == 302
    dup.refresh_from_db()
    assert (dup.status, dup.duplicate_of_id) == ("duplicate", original.pk)
    assert ReportUpdate.objects.get(report=dup).status == "duplicate"
    assert original.subscriptions.filter(email="second@example.org").exists()
    assert [m.to for m in mailoutbox] == [["second@example.org"]]
    assert f"№{original.pk}" in mailoutbox[0].body


def test_reassign_department_and_dispatcher(client, staff, mailoutbox):
    report = make()
    client.force_login(staff)
    r = post(client, report.pk, "assign", {"department": "nope"})
    assert r.status_code == 400
    assert "Невідомий підрозділ." in form_html(r.content.decode(), "assign")
    r = post(client, report.pk, "assign", {"department": "roads", "dispatcher": "dispatcher",
                                          "note": "Це дорожнє покриття"})  # fmt: skip
    assert r.status_code == 302
    report.refresh_from_db()
    assert (report.department.code, report.dispatcher) == ("roads", staff)
    update = ReportUpdate.objects.get(report=report)
    assert (update.department.code, update.note, update.status) == (
        "roads",
        "Це дорожнє покриття",
        "",
    )
    assert mailoutbox == []  # residents are mailed status changes, not internal routing


def test_moderation_edits_text_keeps_the_original_and_hides_a_photo(client, staff):
    report = make(description="Там живе ідіот з 5-го будинку")
    keep, hide = (Photo.objects.create(report=report, image=SimpleUploadedFile(f"{n}.jpg", jpeg()))
                  for n in ("keep", "hide"))  # fmt: skip
    client.force_login(staff)
    r = post(client, report.pk, "moderate", {"description": "<b>x</b>"})
    assert r.status_code == 400
    assert "HTML-теги не допускаються." in form_html(r.content.decode(), "moderate")
    r = post(client, report.pk, "moderate", {"description": "Не світить ліхтар біля будинку 5",
                                            "hidden_photos": [hide.pk]})  # fmt: skip
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.description == "Не світить ліхтар біля будинку 5"
    assert report.description_original == "Там живе ідіот з 5-го будинку"
    assert Photo.objects.get(pk=hide.pk).hidden and not Photo.objects.get(pk=keep.pk).hidden
    assert ReportUpdate.objects.filter(report=report).count() == 1
    public = client.get(f"/reports/{report.pk}/").content.decode()
    assert "ідіот" not in public and "біля будинку 5" in public
    assert hide.image.url not in public and keep.image.url in public
    assert "ідіот" in client.get(desk(report.pk)).content.decode()  # staff still see it
    # A second edit keeps the resident's first text; the photo can be shown again.
    post(
        client,
        report.pk,
        "moderate",
        {"description": "Не світить ліхтар", "hide_description": "on"},
    )
    report.refresh_from_db()
    assert report.description_original == "Там живе ідіот з 5-го будинку"
    assert report.description_hidden and not Photo.objects.get(pk=hide.pk).hidden


def test_heatmap_follows_the_filters_and_carries_counts_only(client, staff):
    make(lat=48.1100, lon=32.7640)
    make(lat=48.1101, lon=32.7641)
    make(category="pothole", lat=48.05, lon=32.70, description="Яма на дорозі")
    late = make(deadline=timezone.now() - timedelta(days=3))
    client.force_login(staff)

    def grid(**params):
        r = client.get("/reports/dashboard/heatmap.json", params)
        assert r.status_code == 200, r.content
        return r.json()

    def total(**params):
        return sum(f["properties"]["count"] for f in grid(**params)["features"])

    everything = grid(cell="500")
    assert total(cell="500") == Report.objects.count()
    assert (
        total(category="light-out", cell="500")
        == Report.objects.filter(category__code="light-out").count()
    )
    assert (
        total(category="pothole", cell="500")
        == Report.objects.filter(category__code="pothole").count()
    )
    overdue = Report.objects.filter(status="new", deadline__lt=timezone.now())
    assert late in overdue and total(overdue="1", cell="100") == overdue.count()
    # The three light-out reports within 15 m of each other share one 500 m cell.
    assert grid(category="light-out", cell="500")["max"] >= 3
    # Nothing of a single report: no ids, text, contacts -- only squares and counts.
    body = json.dumps(everything, ensure_ascii=False)
    for secret in ("r@example.org", "Марія", "Не світить", "Яма", "+380"):
        assert secret not in body
    assert all(set(f["properties"]) == {"count"} for f in everything["features"])
    assert everything["features"][0]["geometry"]["type"] == "Polygon"
    r = client.get("/reports/dashboard/heatmap.json", {"cell": "1"})
    assert r.status_code == 400 and r.json()["code"] == "invalid-filter"
    assert client.get("/reports/dashboard/heatmap.json", {"status": "bogus"}).status_code == 400
