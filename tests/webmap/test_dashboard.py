"""The staff dashboard in a real browser: a dispatcher logs in, switches the map to the
heatmap (coloured cells drawn on the map's canvas), opens a report and takes it into work
with a response template; the change appears in the report's history."""

from __future__ import annotations

import random

import pytest

from .test_map_page import _copy_to_docs

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

HOTSPOTS = [(48.1100, 32.7640, 20), (48.1050, 32.7500, 8), (48.1180, 32.7800, 4)]


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker):
    """Committed reports around three hot spots (the live server sees only committed rows);
    removed afterwards. Returns the pk of the one the dispatcher handles."""
    from geoportal.reports.intake import to_3857
    from geoportal.reports.models import Category, Report

    rnd = random.Random(7)
    with django_db_blocker.unblock():
        light = Category.objects.get(code="light-out")
        made = [
            Report.objects.create(
                category=light,
                location=to_3857(lon + rnd.uniform(-6e-4, 6e-4), lat + rnd.uniform(-4e-4, 4e-4)),
                located_by="pin",
                description="Тест робочого столу",
                email="r@example.org",
                department=light.department,
            )  # fmt: skip
            for lat, lon, n in HOTSPOTS
            for _ in range(n)
        ]
    yield made[0].pk
    with django_db_blocker.unblock():
        Report.objects.filter(pk__in=[r.pk for r in made]).delete()


COLOURED_PIXELS = """() => {
  const canvas = document.querySelector('#map .leaflet-overlay-pane canvas');
  if (!canvas) return -1;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    // the heat ramp: yellow -> orange -> red, i.e. much more red than blue
    if (data[i + 3] > 60 && data[i] > 180 && data[i] - data[i + 2] > 80) n++;
  }
  return n;
}"""


def test_dispatcher_uses_heatmap_and_takes_a_report_into_work(
    portal_server, new_page, reports, artifacts_dir
):
    from geoportal.reports.models import Report, ReportUpdate

    p = new_page(width=1280, height=900)
    page = p.page
    page.goto(f"{portal_server}/reports/dashboard/")
    assert "/accounts/login/" in page.url  # staff only: to the login page first
    page.fill("#id_username", "dispatcher")
    page.fill("#id_password", "demo-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/reports/dashboard/")
    assert page.locator(f'tr.report[data-id="{reports}"]').count() == 1
    # Markers first (clusters on the marker pane), then the heatmap instead of them.
    assert page.locator("#map .marker-cluster, #map .leaflet-interactive").count() > 0
    assert page.evaluate(COLOURED_PIXELS) <= 0
    page.check("input[name=map-mode][value=heat]")
    page.wait_for_function("document.getElementById('map').dataset.heat === 'ready'")
    assert int(page.eval_on_selector("#map", "el => el.dataset.heatCells")) >= 3
    page.wait_for_function("document.getElementById('map').dataset.basemap", timeout=30000)
    page.wait_for_timeout(200)
    assert page.evaluate(COLOURED_PIXELS) > 300
    assert page.locator("#map .marker-cluster").count() == 0
    shot = artifacts_dir / "dashboard.png"
    page.screenshot(path=str(shot))
    _copy_to_docs(shot, "dashboard.png")
    # Zooming in asks for finer cells; the heatmap is drawn again.
    page.evaluate("window.geoportalApp.leaflet.zoomIn()")
    page.wait_for_function("document.getElementById('map').dataset.heat === 'ready'")
    assert page.evaluate(COLOURED_PIXELS) > 0
    # Open the report and take it into work with a response template.
    page.click(f'tr.report[data-id="{reports}"] a[href="/reports/dashboard/{reports}/"]')
    page.wait_for_url(f"**/reports/dashboard/{reports}/")
    assert "r@example.org" in page.inner_text("#contact")  # the contact, for staff only
    page.select_option("#action-status select[name=template]", "in-progress")
    assert page.input_value("#action-status select[name=status]") == "in_progress"
    note = page.input_value("#action-status textarea[name=note]")
    assert note.startswith("Бригаду направлено")
    page.click("#action-status button[type=submit]")
    page.wait_for_selector(".messages")
    assert page.get_attribute("#status", "data-status") == "in_progress"
    history = page.inner_text("#history")
    assert "Бригаду направлено" in history and "у роботі" in history and "dispatcher" in history
    shot = artifacts_dir / "dashboard-report.png"
    page.screenshot(path=str(shot), full_page=True)
    _copy_to_docs(shot, "dashboard-report.png")
    assert Report.objects.get(pk=reports).status == "in_progress"
    assert ReportUpdate.objects.filter(report_id=reports, status="in_progress", note=note).exists()
    assert p.errors == []
