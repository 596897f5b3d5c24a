"""The portal's pages over HTTP: the shared design on every page (404 and 500 too), Kyiv time
in the language's short format, code-list titles in English, where a login lands, and the
desk's "next report" link."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.views.defaults import server_error

from geoportal.reports.intake import to_3857
from geoportal.reports.models import Category, Report
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _report(**fields) -> Report:
    category = Category.objects.get(code="light-out")
    return Report.objects.create(category=category, location=to_3857(32.764, 48.11),
                                 located_by="pin", department=category.department,
                                 **fields)  # fmt: skip


def test_public_page_kyiv_time_and_english_titles(client):
    # 21:37 in Kyiv is 19:37 UTC (winter); the UTC date is the same, the hour is not
    report = _report(created_at=datetime(2026, 12, 1, 19, 37, tzinfo=ZoneInfo("UTC")))
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert ">01.12.2026 21:37</time>" in page
    assert 'class="topbar site-header"' in page and 'href="/static/portal/pages.css"' in page
    english = client.get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english
    assert report.category.title_en in english and report.department.name_en in english


def test_error_pages_share_the_design(client):
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert 'class="topbar site-header"' in html and "Сторінку не знайдено" in html
    request = RequestFactory().get("/")
    broken = server_error(request)  # rendered with no context at all, as Django does
    assert broken.status_code == 500
    assert 'class="topbar site-header"' in broken.content.decode()
    assert "Помилка сервера" in broken.content.decode()


@pytest.mark.parametrize(
    "username, lands", [("dispatcher", "/reports/dashboard/"), ("planner", "/")]
)
def test_login_lands_each_role_where_it_works(client, username, lands):
    for next_ in ("", "/"):
        r = client.post(
            "/accounts/login/", {"username": username, "password": PASSWORD, "next": next_}
        )
        assert r.status_code == 302 and r["Location"] == lands, (next_, r["Location"])
        client.logout()
    r = client.post("/accounts/login/", {"username": username, "password": PASSWORD,
                                         "next": "/reports/new/"})  # fmt: skip
    assert r["Location"] == "/reports/new/"  # a page asked for is kept
    client.logout()
    r = client.post("/accounts/login/", {"username": username, "password": PASSWORD,
                                         "next": "https://evil.example/"})  # fmt: skip
    assert r["Location"] == lands  # never off-site


def test_desk_link_opens_the_next_report_to_handle(client):
    staff = get_user_model().objects.get(username="dispatcher")
    client.force_login(staff)
    Report.objects.all().delete()
    r = client.get("/reports/desk/")
    assert r.status_code == 302 and r["Location"] == "/reports/dashboard/"
    later = _report(deadline=datetime(2027, 1, 9, tzinfo=ZoneInfo("UTC")))
    sooner = _report(deadline=datetime(2027, 1, 2, tzinfo=ZoneInfo("UTC")))
    assert client.get("/reports/desk/")["Location"] == f"/reports/dashboard/{sooner.pk}/"
    Report.objects.filter(pk=later.pk).update(dispatcher=staff)  # one's own first
    assert client.get("/reports/desk/")["Location"] == f"/reports/dashboard/{later.pk}/"
    client.logout()
    assert client.get("/reports/desk/")["Location"].startswith("/accounts/login/")


def test_dashboard_and_desk_titles_in_english(client):
    report = _report(answers={})
    client.force_login(get_user_model().objects.get(username="dispatcher"))
    for url in ("/reports/dashboard/", f"/reports/dashboard/{report.pk}/"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<html lang="en">' in html and report.category.title_en in html, url
        assert report.department.name_en in html, url
