"""The portal's pages in a real browser (system chromium) over a real gunicorn, with one
report that has a photo: the photo is visible (naturalWidth > 0) on the public page, the
dashboard and the desk; a dispatcher's login lands on the dashboard with the staff links; the
desk names answers by their questions; every page has the right <html lang>; axe-core finds
no critical or serious violation; screenshots (phone 390x844 uk-UA, desktop 1440x900) go to
test-artifacts/pages/ (and docs/screenshots/ with GEOPORTAL_SCREENSHOTS=1)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import requests

from tests.conftest import PASSWORD, jpeg

from .conftest import wait_ready

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DOCS = ROOT / "docs" / "screenshots"
IMG_LOADED = "(img) => img.complete && img.naturalWidth > 0"


@pytest.fixture(scope="module")
def report_id(portal_server):
    files = [("photos", ("pole.jpg", jpeg(size=(1600, 1200)), "image/jpeg"))]
    r = requests.post(portal_server + "/api/v1/reports", timeout=30, files=files, data={
        "category": "damaged-pole", "lat": "48.1123", "lon": "32.7581", "located_by": "pin",
        "description": "Опора нахилилась над тротуаром",
        "answers": '{"wires_down": false, "pole_number": "8"}',
    })  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.fixture(scope="module")
def staff(browser, portal_server):
    """A dispatcher's browser context, signed in through the login form (from the map's link)."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="uk-UA")
    page = ctx.new_page()
    page.goto(portal_server + "/accounts/login/?next=/")
    page.fill("#id_username", "dispatcher")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    landed = page.url
    page.close()
    yield ctx, landed
    ctx.close()


def _errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _photo_loaded(page, selector: str) -> None:
    img = page.wait_for_selector(selector, state="attached", timeout=30000)
    img.scroll_into_view_if_needed()
    page.wait_for_function(IMG_LOADED, arg=img, timeout=30000)


def test_dispatcher_lands_on_the_dashboard_with_staff_links(staff, portal_server):
    ctx, landed = staff
    assert landed == portal_server + "/reports/dashboard/"
    page = ctx.new_page()
    page.goto(portal_server + "/")
    for link in ("nav-dashboard", "nav-desk", "nav-uploads", "nav-admin"):
        assert page.is_visible(f"#{link}"), link
    page.goto(portal_server + "/reports/desk/")  # the next report to handle
    assert "/reports/dashboard/" in page.url and page.is_visible("#nav-uploads")
    page.close()


def test_anonymous_pages_have_no_staff_links(new_page, portal_server, report_id):
    p = new_page()
    for url in ("/", f"/reports/{report_id}/", "/accounts/login/"):
        p.page.goto(portal_server + url)
        assert p.page.locator("#nav-dashboard, #nav-admin").count() == 0, url


def test_photo_visible_on_public_page_dashboard_and_desk(new_page, staff, portal_server, report_id):
    p = new_page(width=390, height=844)
    p.page.goto(f"{portal_server}/reports/{report_id}/")
    _photo_loaded(p.page, ".photos img")
    p.page.wait_for_function("document.getElementById('map').dataset.basemap === 'ready'",
                             timeout=30000)  # fmt: skip
    text = p.page.inner_text("main")
    assert "Пошкоджена опора" in text and "нове" in text
    assert not p.errors, p.errors
    ctx, _ = staff
    page = ctx.new_page()
    errors = _errors(page)
    page.goto(portal_server + "/reports/dashboard/")
    _photo_loaded(page, f"tr[data-id='{report_id}'] td.thumb img")
    page.goto(f"{portal_server}/reports/dashboard/{report_id}/")
    _photo_loaded(page, ".photos img")
    answers = page.inner_text("#answers")
    assert "Обірвані дроти?" in answers and "ні" in answers and "wires_down" not in answers
    assert "Номер на опорі (якщо видно)" in answers
    assert not errors, errors
    page.close()


def test_every_page_has_the_language_it_is_in(browser, staff, portal_server, report_id):
    ctx, _ = staff
    urls = ["/", "/reports/new/", f"/reports/{report_id}/", "/reports/dashboard/",
            f"/reports/dashboard/{report_id}/", "/importers/upload/", "/no-such-page/"]  # fmt: skip
    for lang in ("uk", "en"):
        ctx.add_cookies([{"name": "django_language", "value": lang, "url": portal_server}])
        page = ctx.new_page()
        for url in urls:
            page.goto(portal_server + url)
            assert page.get_attribute("html", "lang") == lang, (lang, url)
        page.close()
    ctx.add_cookies([{"name": "django_language", "value": "uk", "url": portal_server}])


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']} -- {[n['target'] for n in v['nodes']][:4]}"
            for v in violations if v["impact"] in ("critical", "serious")]  # fmt: skip


def _open(page, base: str, name: str, report_id: int) -> None:
    url = {"map": "/", "accessibility": "/", "report-form": "/reports/new/",
           "report-page": f"/reports/{report_id}/", "dashboard": "/reports/dashboard/",
           "desk": f"/reports/dashboard/{report_id}/", "login": "/accounts/login/",
           "upload": "/importers/upload/", "404": "/no-such-page/"}[name]  # fmt: skip
    page.goto(base + url)
    if name in ("map", "accessibility", "report-form", "dashboard"):
        wait_ready(page, "map" if name == "accessibility" else name)
    if name == "accessibility":
        page.click("#a11y-toggle")
        page.wait_for_selector("#a11y-list li", timeout=30000)
    page.wait_for_timeout(500)


STAFF_PAGES = {"dashboard", "desk", "upload"}


@pytest.mark.parametrize("name", ["map", "accessibility", "report-form", "report-page",
                                  "dashboard", "desk", "login", "404"])  # fmt: skip
def test_axe_finds_no_serious_violation(new_page, staff, portal_server, report_id, name):
    if name in STAFF_PAGES:
        page = staff[0].new_page()
    else:
        page = new_page(width=1440, height=900).page
    _open(page, portal_server, name, report_id)
    found = _axe(page)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", ["report-page", "dashboard", "desk", "login", "upload", "404"])
def test_screenshots_phone_and_desktop(browser, staff, portal_server, report_id, artifacts_dir,
                                       name):  # fmt: skip
    folder = artifacts_dir / "pages"
    folder.mkdir(exist_ok=True)
    for label, viewport in (("phone", (390, 844)), ("desktop", (1440, 900))):
        if name in STAFF_PAGES:
            ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                      locale="uk-UA", storage_state=staff[0].storage_state())  # fmt: skip
        else:
            ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                      locale="uk-UA")  # fmt: skip
        page = ctx.new_page()
        _open(page, portal_server, name, report_id)
        if name in ("report-page", "dashboard"):
            page.wait_for_function("document.getElementById('map').dataset.basemap", timeout=30000)
            page.wait_for_timeout(800)
        shot = folder / f"{name}-{label}.png"
        page.screenshot(path=str(shot), full_page=True)
        ctx.close()
        if os.environ.get("GEOPORTAL_SCREENSHOTS") == "1":
            DOCS.mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, DOCS / f"page-{name}-{label}.png")
