"""Staff handling over HTTP: transitions with permission checks and notifications,
reassignment, duplicate merge, moderation, routing by service area, dashboard and CSV."""

import csv
import io
import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from geoportal.reports.intake import to_3857
from geoportal.reports.models import (
    Area,
    Category,
    Confirmation,
    Department,
    Report,
    ReportUpdate,
    Subscription,
)
from geoportal.reports.routing import route

from .conftest import create_report

pytestmark = pytest.mark.django_db


def create(client, **body):
    """A report with a private contact (the staff views show it; public outputs must not)."""
    return create_report(client, **{"email": "r@example.org", "name": "Марія Секретна", **body})


def act(client, pk, action, body):
    return client.post(f"/api/v1/reports/{pk}/{action}", json.dumps(body),
                       content_type="application/json")  # fmt: skip


def test_transitions_need_staff_and_notify(client, staff, resident,
                                           django_capture_on_commit_callbacks, mailoutbox):  # fmt: skip
    pk = create(client)
    client.post(f"/api/v1/reports/{pk}/subscribe", {"email": "sub@example.org"})
    assert act(client, pk, "status", {"status": "confirmed"}).status_code == 403
    client.force_login(resident)
    assert act(client, pk, "status", {"status": "confirmed"}).status_code == 403
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        r = act(client, pk, "status", {"status": "in_progress", "note": "Бригада виїхала"})
    assert r.status_code == 200, r.content
    assert sorted(m.to[0] for m in mailoutbox) == ["r@example.org", "sub@example.org"]
    assert all(len(m.to) == 1 for m in mailoutbox)  # nobody sees another's address
    assert "Бригада виїхала" in mailoutbox[0].body and f"/reports/{pk}/" in mailoutbox[0].body
    # Rejection needs a reason; an impossible move is refused; nothing changes then.
    r = act(client, pk, "status", {"status": "rejected"})
    assert r.status_code == 400 and "note" in r.json()["errors"]
    assert act(client, pk, "status", {"status": "new"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            act(client, pk, "status", {"status": "resolved", "note": "Замінено лампу"}).status_code
            == 200
        )
    update = ReportUpdate.objects.filter(report_id=pk).last()
    assert (update.old_status, update.status, update.user) == ("in_progress", "resolved", staff)
    assert Report.objects.get(pk=pk).status == "resolved" and len(mailoutbox) == 4
    page = client.get(f"/reports/{pk}/").content.decode()
    assert "Замінено лампу" in page and "Бригада виїхала" in page and "вирішено" in page


def test_duplicate_merge_moves_confirmations_and_subscribers(client, staff):
    original = create(client)
    dup = create(client, email="second@example.org")
    client.post(f"/api/v1/reports/{dup}/confirm", REMOTE_ADDR="10.0.0.1")
    client.post(f"/api/v1/reports/{dup}/confirm", REMOTE_ADDR="10.0.0.2")
    client.post(f"/api/v1/reports/{original}/confirm", REMOTE_ADDR="10.0.0.1")
    client.post(f"/api/v1/reports/{dup}/subscribe", {"email": "watch@example.org"})
    client.force_login(staff)
    r = act(client, dup, "status", {"status": "duplicate"})
    assert r.status_code == 400 and "duplicate_of" in r.json()["errors"]
    assert (
        act(client, dup, "status", {"status": "duplicate", "duplicate_of": dup}).status_code == 400
    )
    r = act(client, dup, "status", {"status": "duplicate", "duplicate_of": original})
    assert r.status_code == 200
    assert Confirmation.objects.filter(report_id=original).count() == 2  # 10.0.0.1 counted once
    assert Confirmation.objects.filter(report_id=dup).count() == 0
    subs = set(Subscription.objects.filter(report_id=original).values_list("email", flat=True))
    assert subs == {"watch@example.org", "second@example.org"}
    assert Report.objects.get(pk=dup).duplicate_of_id == original
    assert f"/reports/{original}/" in client.get(f"/reports/{dup}/").content.decode()


def test_reassign_and_routing_by_service_area(client, staff):
    lighting = Department.objects.get(code="street-lighting")
    village = Department.objects.create(code="village-contractor", name_uk="Підрядник села",
                                        dispatcher=staff)  # fmt: skip
    box = Polygon.from_bbox((32.75, 48.10, 32.78, 48.12))
    box.srid = 4326
    box.transform(3857)
    area = Area.objects.create(name="Центр", department=village, geom=MultiPolygon(box))
    area.categories.add(Category.objects.get(code="light-out"))
    inside, outside = to_3857(32.764, 48.11), to_3857(32.70, 48.05)
    light_out, pothole = (
        Category.objects.get(code="light-out"),
        Category.objects.get(code="pothole"),
    )
    assert route(light_out, inside).department == village
    assert route(light_out, inside).dispatcher == staff
    assert route(light_out, outside).department == lighting
    assert route(pothole, inside).department.code == "roads"  # the area does not serve it
    pk = create(client)
    assert Report.objects.get(pk=pk).department == village
    client.force_login(staff)
    r = act(client, pk, "assign", {"department": "street-lighting", "note": "Мережа міста"})
    assert r.status_code == 200 and r.json()["department"] == "street-lighting"
    assert Report.objects.get(pk=pk).department == lighting
    assert ReportUpdate.objects.filter(report_id=pk, department=lighting).exists()
    assert act(client, pk, "assign", {"department": "nope"}).status_code == 400
    far = create(client, lat=48.05, lon=32.70)
    page = client.get("/reports/dashboard/", {"area": area.pk}).content.decode()
    assert f'data-id="{pk}"' in page and f'data-id="{far}"' not in page
    assert client.get("/reports/dashboard/", {"area": "999999"}).status_code == 400


def test_moderation_hides_text_and_photos(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import jpeg

    r = client.post("/api/v1/reports", {"category": "other", "lat": 48.11, "lon": 32.764,
                                        "description": "Образливий текст",
                                        "photos": [SimpleUploadedFile("a.jpg", jpeg())]})  # fmt: skip
    pk, photo_url = r.json()["id"], r.json()["photos"][0]
    photo_id = Report.objects.get(pk=pk).photos.get().pk
    assert act(client, pk, "moderate", {"hide_description": True}).status_code == 403
    client.force_login(staff)
    r = act(client, pk, "moderate", {"hide_description": True, "hide_photos": [photo_id]})
    assert r.status_code == 200 and r.json()["description"] == "" and r.json()["photos"] == []
    page = client.get(f"/reports/{pk}/").content.decode()
    assert "Образливий" not in page and photo_url not in page
    # "false" is no; a number or a string where a list belongs is a 400 (were: yes / a 500)
    r = act(client, pk, "moderate", {"hide_description": "false"})
    assert r.status_code == 200 and r.json()["description"] == "Образливий текст"
    for bad in (5, "12"):
        r = act(client, pk, "moderate", {"hide_photos": bad})
        assert r.status_code == 400 and "hide_photos" in r.json()["errors"], bad


def test_dashboard_filters_overdue_and_csv(client, staff):
    from datetime import timedelta

    from django.utils import timezone

    late = create(client, description="Давно не світить")
    Report.objects.filter(pk=late).update(deadline=timezone.now() - timedelta(days=2),
                                          created_at=timezone.now() - timedelta(days=20))  # fmt: skip
    fresh = create(client, category="pothole", answers={"size": "до 30 см"})
    assert client.get("/reports/dashboard/").status_code == 302  # to the login
    client.force_login(staff)
    page = client.get("/reports/dashboard/", {"overdue": "1"}).content.decode()
    assert f'data-id="{late}"' in page and f'data-id="{fresh}"' not in page
    assert 'class="report overdue"' in page
    assert 'id="report-points"' in page and f'"id": {late}' in page  # the map's points
    page = client.get("/reports/dashboard/", {"category": "pothole", "status": "open"}).content
    assert f'data-id="{fresh}"'.encode() in page and f'data-id="{late}"'.encode() not in page
    assert client.get("/reports/dashboard/", {"age": "x"}).status_code == 400
    assert client.get("/reports/dashboard/", {"age": "99999999999"}).status_code == 400  # was 500
    r = client.get("/reports/dashboard/export.csv", {"age": "10"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    ids = {int(row["id"]) for row in rows}
    assert late in ids and fresh not in ids
    row = next(row for row in rows if int(row["id"]) == late)
    assert row["overdue"] == "1" and row["email"] == "r@example.org"


def test_admin_status_change_goes_through_the_workflow(client, rf, django_capture_on_commit_callbacks,
                                                       mailoutbox):  # fmt: skip
    from django.contrib.admin.sites import site
    from django.contrib.auth import get_user_model
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.forms.models import model_to_dict

    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-123456")
    pk = create(client)
    report = Report.objects.get(pk=pk)
    admin = site._registry[Report]
    request = rf.post("/admin/")
    request.user = boss
    request.session = {}
    request._messages = FallbackStorage(request)
    form_class = admin.get_form(request, report)
    data = {k: v for k, v in model_to_dict(report).items() if v is not None}
    data.update(
        location=report.location.ewkt,
        answers="{}",
        status="rejected",
        note="Не належить до комунальної власності",
        department="",
    )
    data["department"] = Department.objects.get(code="improvement").pk
    data["category"] = report.category_id
    form = form_class(data, instance=report)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        admin.save_model(request, form.save(commit=False), form, change=True)
    report.refresh_from_db()
    assert report.status == "rejected" and report.department.code == "improvement"
    updates = list(ReportUpdate.objects.filter(report=report).values_list("status", "note"))
    assert ("rejected", "Не належить до комунальної власності") in updates
    assert ("", "") in updates  # the reassignment
    assert [m.to for m in mailoutbox] == [["r@example.org"]]
    # A rejection without a reason is refused with a message, the status unchanged.
    report2 = Report.objects.get(pk=create(client))
    data.update(location=report2.location.ewkt, note="", department=report2.department_id)
    form = form_class(data, instance=report2)
    assert form.is_valid(), form.errors
    admin.save_model(request, form.save(commit=False), form, change=True)
    report2.refresh_from_db()
    assert report2.status == "new"
    assert any("причину" in str(m) for m in request._messages)


def test_response_template_gives_the_public_note(client, staff):
    pk = create(client)
    client.force_login(staff)
    r = act(client, pk, "status", {"status": "resolved", "template": "resolved"})
    assert r.status_code == 200
    assert ReportUpdate.objects.get(pk=r.json()["update"]).note.startswith("Роботи виконано")
    r = act(client, pk, "status", {"status": "confirmed", "template": "no-such"})
    assert r.status_code == 400 and "template" in r.json()["errors"]
    # A template also satisfies "rejection needs a reason".
    r = act(client, pk, "status", {"status": "confirmed"})
    r = act(client, pk, "status", {"status": "rejected", "template": "not-communal"})
    assert r.status_code == 200 and Report.objects.get(pk=pk).status == "rejected"
