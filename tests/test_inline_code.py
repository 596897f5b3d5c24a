"""No inline code in the portal's pages, a precondition for a strict Content-Security-Policy
(script-src 'self'): every page renders with scripts only from files (`<script src>`), page data
only as `<script type="application/json">` (json_script), and no event-handler attributes
(onclick=...) or javascript: URLs."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
URL_ATTRIBUTES = ("href", "src", "action", "formaction")


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        data = (a.get("type") or "").lower() == "application/json"
        if tag == "script" and not a.get("src") and not data:
            self.found.append(f"inline <script {a}>")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            url = (value or "").strip().lower()
            if name.lower() in URL_ATTRIBUTES and url.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_checker_finds_inline_code():
    assert inline_code('<script>alert(1)</script><script type="module">x()</script>') == [
        "inline <script {}>", "inline <script {'type': 'module'}>"]  # fmt: skip
    assert inline_code('<button onclick="x()">x</button><a href="javascript:x()">x</a>') == [
        "<button onclick=...>", "<a href='javascript:x()'>"]  # fmt: skip
    allowed = '<script src="/a.js"></script><script type="application/json" id="d">{}</script>'
    assert inline_code(allowed) == []


@pytest.fixture
def report():
    from geoportal.reports.intake import to_3857
    from geoportal.reports.models import Category, Report

    category = Category.objects.get(code="light-out")
    return Report.objects.create(category=category, location=to_3857(32.764, 48.11),
                                 located_by="pin", description="Не світить ліхтар",
                                 department=category.department)  # fmt: skip


def _pages(report) -> dict[str, tuple[str, bool]]:
    """name -> (path, staff only)"""
    return {
        "map": ("/", False),
        "report form": ("/reports/new/", False),
        "public report": (f"/reports/{report.pk}/", False),
        "login": ("/accounts/login/", False),
        "dashboard": ("/reports/dashboard/", True),
        "desk": (f"/reports/dashboard/{report.pk}/", True),
        "upload": ("/importers/upload/", True),
    }


@pytest.mark.parametrize("language", ["uk", "en"])
def test_no_page_has_inline_code(report, language):
    from django.contrib.auth import get_user_model

    anonymous, staff = Client(), Client()
    staff.force_login(get_user_model().objects.get(username="planner"))
    for name, (path, staff_only) in _pages(report).items():
        r = (staff if staff_only else anonymous).get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert r.status_code == 200, (name, r.status_code)
        html = r.content.decode()
        assert "<script" in html or name == "login", name  # the check saw the page's scripts
        assert inline_code(html) == [], name
