"""Findings of the outside probe on reports (issue: hostile input, access and privacy), each a
regression test: control characters, CSV formula injection, rejected reports in public."""

import csv
import io

import pytest
from lxml import etree

from geoportal.reports.models import Report, ReportUpdate, Status

from .conftest import create_report, jpeg, post_report

pytestmark = pytest.mark.django_db
PIN = {"category": "other", "lat": 48.11, "lon": 32.764}


@pytest.mark.parametrize("char", ["\x0b", "\x01", "\x7f", "\x9b"])
def test_control_characters_are_refused_at_intake(client, char):
    before = Report.objects.count()
    r = post_report(client, {**PIN, "description": f"Яма{char}на дорозі"})
    assert r.status_code == 400 and "description" in r.json()["errors"]
    assert "U+" in r.json()["errors"]["description"][0]
    assert Report.objects.count() == before  # nothing saved
    # newline, tab and carriage return are ordinary text
    assert post_report(client, {**PIN, "description": "Яма\r\nглибока\tдуже"}).status_code == 201


def test_open311_xml_holds_for_stored_control_characters(client):
    pk = create_report(client, description="Яма")
    Report.objects.filter(pk=pk).update(description="Яма\x0bна\x01дорозі")  # stored earlier
    for path in ("/open311/v2/requests.xml", f"/open311/v2/requests/{pk}.xml"):
        r = client.get(path)
        assert r.status_code == 200, path
        descriptions = etree.fromstring(r.content).xpath(
            f"//request[service_request_id={pk}]/description/text()"
        )
        assert descriptions == ["Яманадорозі"]


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
)
def test_dashboard_csv_cells_cannot_run_as_formulas(client, staff, payload):
    pk = create_report(client, description=payload, name=payload)
    client.force_login(staff)
    body = client.get("/reports/dashboard/export.csv").content.decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(body))}
    row = rows[str(pk)]
    stored = payload.strip()  # intake trims the fields
    assert row["description"] == "'" + stored and row["name"] == "'" + stored


def _reject(pk, note="Це не в межах відповідальності громади"):
    Report.objects.filter(pk=pk).update(status=Status.REJECTED)
    ReportUpdate.objects.create(
        report_id=pk, old_status=Status.NEW, status=Status.REJECTED, note=note
    )


def test_rejected_reports_leave_public_lists_and_keep_only_the_reason(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")
    r = client.post(
        "/api/v1/reports", {**PIN, "description": "Образлива вигадка", "photos": [photo]}
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    _reject(pk)
    listed = {f["id"] for f in client.get("/api/v1/reports/").json()["features"]}
    assert pk not in listed
    open311 = client.get("/open311/v2/requests.json").json()
    assert str(pk) not in {x["service_request_id"] for x in open311}
    nearby = client.get(
        "/api/v1/reports/nearby", {"lat": 48.11, "lon": 32.764, "category": "other"}
    )
    assert pk not in {c["id"] for c in nearby.json()["reports"]}
    # asked for by number: the page says rejected and why, without the text or photo
    detail = client.get(f"/api/v1/reports/{pk}").json()
    assert detail["status"] == "rejected" and detail["description"] == "" and detail["photos"] == []
    assert "відповідальності" in detail["updates"][-1]["note"]
    page = client.get(f"/reports/{pk}/").content.decode()
    assert "Образлива" not in page and "відповідальності" in page
    by_id = client.get(f"/open311/v2/requests/{pk}.json").json()[0]
    assert (
        by_id["status"] == "closed" and by_id["description"] is None and by_id["media_url"] is None
    )
