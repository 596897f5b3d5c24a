"""The resident's "report a problem" flow in headless Chromium on a phone-sized screen, against
the live gunicorn: a landmark typed as text is located and explained, the report goes out with
a photo, shows up in the database and on the web map's clustered report layer; a second
resident nearby is offered the open report and confirms it instead of sending a duplicate; a
report without a place comes back with the field error next to the map."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from tests.conftest import gps_exif, jpeg

from .conftest import wait_ready
from .test_map_page import _copy_to_docs

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
LANDMARK_TEXT = "опора 17 на вул. Шевченка"
DESCRIPTION = "Ліхтар не світить уже третій вечір, темно на переході"


@pytest.fixture(scope="module")
def pole(registry, django_db_blocker):
    """Where "опора 17 на вул. Шевченка" is (lat, lon), with the landmark registry built and
    no light-out reports left around it by an earlier run (the live server commits)."""
    from geoportal.locator.resolve import locate
    from geoportal.reports.models import Report

    with django_db_blocker.unblock():
        result = locate(text=LANDMARK_TEXT)
        assert result.confidence >= 0.5, result.explanation
        point = Point(result.candidate.x, result.candidate.y, srid=3857)
        Report.objects.filter(category__code="light-out",
                              location__dwithin=(point, 500)).delete()  # fmt: skip
    lonlat = point.transform(4326, clone=True)
    return {"lat": lonlat.y, "lon": lonlat.x, "point": point}


def _open_form(p, base):
    p.page.goto(f"{base}/reports/new/")
    wait_ready(p.page, "report-form")


def _reports_near(point, metres=500):
    from geoportal.reports.models import Report

    return Report.objects.filter(category__code="light-out", location__dwithin=(point, metres))


def test_resident_reports_by_landmark_and_sees_it_on_the_map(
    portal_server, new_page, pole, artifacts_dir
):
    p = new_page(**PHONE)
    _open_form(p, portal_server)
    page = p.page
    # The honeypot is off-screen, out of the tab order and hidden from screen readers.
    honeypot = page.locator("input[name=website]")
    assert honeypot.get_attribute("tabindex") == "-1"
    assert page.locator(".hp").get_attribute("aria-hidden") == "true"
    assert honeypot.bounding_box()["x"] < 0

    page.get_by_label("Не світить ліхтар").check()
    page.get_by_label("Номер на опорі (якщо видно)").fill("17")
    page.get_by_label("один", exact=True).check()
    page.get_by_label("Орієнтир або опис місця").fill(LANDMARK_TEXT)
    page.click("#locate-button")
    explanation = page.locator("#locate-result .explanation")
    explanation.wait_for()
    assert "Опора №17" in explanation.inner_text() and "Шевченка" in explanation.inner_text()
    assert "орієнтир" in page.inner_text("#location-status")
    assert page.locator("#report-map .leaflet-marker-icon").count() == 1  # the pin
    page.evaluate("document.getElementById('location-text').scrollIntoView()")
    page.wait_for_timeout(300)  # tiles of the zoomed-in map
    page.screenshot(path=str(artifacts_dir / "report-located-phone.png"))
    _copy_to_docs(artifacts_dir / "report-located-phone.png", "report-located-phone.png")
    page.get_by_label("Опис проблеми").fill(DESCRIPTION)
    page.set_input_files("#photos", files=[{
        "name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": jpeg(gps_exif(pole["lat"], pole["lon"]), size=(96, 72)),
    }])  # fmt: skip
    assert page.locator("#photo-list img").count() == 1
    page.get_by_label("E-mail", exact=True).fill("olena@example.org")
    page.screenshot(path=str(artifacts_dir / "report-form-phone.png"), full_page=True)

    page.click("#submit-button")
    page.locator("#done").wait_for()
    title = page.inner_text("#done-title")
    assert "прийнято" in title
    href = page.get_attribute("#done-link", "href")
    pk = int(href.strip("/").split("/")[-1])
    assert f"№{pk}" in title and "Опора №17" in page.inner_text("#done-explanation")
    shot = artifacts_dir / "report-done-phone.png"
    page.screenshot(path=str(shot))

    from geoportal.reports.models import Report

    report = Report.objects.get(pk=pk)
    assert report.category.code == "light-out" and report.description == DESCRIPTION
    assert report.located_by == "pin" and report.location_text == LANDMARK_TEXT
    assert report.location.distance(pole["point"]) < 2  # metres (EPSG:3857)
    assert "Опора №17" in report.locator_explanation and report.locator_confidence >= 0.5
    assert report.answers == {"pole_number": "17", "how_many": "один"}
    assert report.email == "olena@example.org" and report.photos.count() == 1

    # The confirmation links to the web map with the report layer on: the marker is there.
    page.click("#done-map")
    wait_ready(page, "map")
    marker = page.locator(f".report-marker[title^='№{pk} ']")
    marker.wait_for(timeout=15000)
    assert page.locator("input[data-slug=reports]").is_checked()
    marker.click()
    link = page.locator(f".report-popup a[href='/reports/{pk}/']")
    link.wait_for()
    page.wait_for_timeout(400)  # the popup fades in
    page.screenshot(path=str(artifacts_dir / "report-on-map-phone.png"))
    assert "reports" in page.evaluate("location.hash")
    assert not p.errors, p.errors


def test_second_resident_confirms_instead_of_duplicating(
    portal_server, new_page, pole, artifacts_dir
):
    existing = list(_reports_near(pole["point"]).values_list("pk", flat=True))
    assert existing, "runs after the first resident's report"
    pk = existing[0]
    # ~20 m away, the phone's GPS with 25 m accuracy
    p = new_page(**PHONE, geolocation={"latitude": pole["lat"] + 0.00015, "longitude": pole["lon"],
                                       "accuracy": 25}, permissions=["geolocation"])  # fmt: skip
    _open_form(p, portal_server)
    page = p.page
    page.get_by_label("Не світить ліхтар").check()
    page.click("#gps-button")
    page.wait_for_function("document.getElementById('location-status').textContent.includes('±25')")
    assert page.locator("#report-map path.accuracy-circle").count() == 1
    offer = page.locator(f"#nearby li[data-report='{pk}']")
    offer.wait_for()
    assert page.locator("#nearby").is_visible()
    assert "Уже повідомили?" in page.inner_text("#nearby")
    offer.get_by_role("button", name="Я теж це бачу — підтвердити").click()
    offer.locator(".result").filter(has_text="Дякуємо").wait_for()
    assert offer.locator(".count").inner_text() == "1"
    offer.get_by_label("E-mail для сповіщень").fill("sosid@example.org")
    offer.get_by_role("button", name="Стежити").click()
    offer.locator(".result").filter(has_text="Ви стежите").wait_for()
    page.evaluate("document.getElementById('nearby').scrollIntoView()")
    page.screenshot(path=str(artifacts_dir / "report-nearby-phone.png"))
    _copy_to_docs(artifacts_dir / "report-nearby-phone.png", "report-nearby-phone.png")

    from geoportal.reports.models import Confirmation, Subscription

    assert Confirmation.objects.filter(report_id=pk).count() == 1
    assert Subscription.objects.filter(report_id=pk, email="sosid@example.org").exists()
    # no duplicate was sent
    assert list(_reports_near(pole["point"]).values_list("pk", flat=True)) == existing
    assert not p.errors, p.errors


def test_bad_submission_shows_field_errors(portal_server, new_page, pole, artifacts_dir):
    p = new_page(**PHONE)
    _open_form(p, portal_server)
    page = p.page
    # A photo over the size cap is refused in the browser, before any upload.
    page.set_input_files("#photos", files=[{
        "name": "huge.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8" + b"0" * (11 * 1024 * 1024),
    }])  # fmt: skip
    assert "завелике" in page.inner_text("#err-photos")
    assert page.locator("#photo-list img").count() == 0

    before = _reports_near(pole["point"], 100_000).count()
    page.get_by_label("Вибоїна на дорозі").check()
    page.get_by_label("30–100 см").check()
    page.get_by_label("Опис проблеми").fill("Яма на дорозі")
    page.click("#submit-button")
    summary = page.locator("#form-errors")
    summary.wait_for()
    assert "Потрібне місце" in page.inner_text("#err-location")
    assert page.get_attribute("#report-map", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert page.locator("#done").is_hidden()
    page.screenshot(path=str(artifacts_dir / "report-errors-phone.png"), full_page=True)
    assert _reports_near(pole["point"], 100_000).count() == before
    # The only console error allowed is the browser's log line of the refused POST (400).
    assert all("400" in e for e in p.errors), p.errors


def test_ambiguous_landmark_offers_candidates_to_pick(portal_server, new_page, pole):
    """ "опора 17" alone fits several poles: the form says so and lets the resident pick one;
    the keyboard path (arrow keys + "pin the map centre") places a pin without a pointer."""
    p = new_page(**PHONE)
    _open_form(p, portal_server)
    page = p.page
    page.get_by_label("Орієнтир або опис місця").fill("опора 17")
    page.get_by_label("Орієнтир або опис місця").press("Enter")
    page.locator("#locate-result .explanation.unsure").wait_for()
    assert "Неоднозначно" in page.inner_text("#locate-result")
    choices = page.locator("#locate-result .candidates button")
    assert 2 <= choices.count() <= 8
    assert page.locator("#report-map .leaflet-marker-icon").count() == 0  # no confident pin
    shevchenka = choices.filter(has_text="Шевченка").first
    shevchenka.click()
    assert shevchenka.get_attribute("aria-pressed") == "true"
    assert "орієнтир" in page.inner_text("#location-status")
    assert page.locator("#report-map .leaflet-marker-icon").count() == 1

    page.get_by_role("button", name="Позначити центр мапи").click()
    status = page.inner_text("#location-status")
    assert "позначка на мапі" in status
    centre = page.evaluate(
        "(() => { const c = window.geoportalApp.leaflet.getCenter(); return [c.lat, c.lng]; })()"
    )
    assert f"{centre[0]:.5f}, {centre[1]:.5f}" in status
    assert not p.errors, p.errors
