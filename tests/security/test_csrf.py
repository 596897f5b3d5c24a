"""CSRF for the residents' API writes (geoportal/accounts/authentication.py): a write made with
a session cookie needs Django's CSRF token, an anonymous write may not come from a foreign
Origin, token clients are exempt. Before, confirm and subscribe took a session cookie and a
foreign Origin (another site could subscribe any e-mail through a visitor's browser)."""

import json

import pytest
from django.test import Client

from tests.reports.conftest import create_report

pytestmark = pytest.mark.django_db
EVIL = "https://evil.example"


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def report_id(client):
    from django.core.cache import cache

    cache.clear()
    return create_report(client, description="Яма біля школи")


def subscribe(c, pk, **extra):
    return c.post(f"/api/v1/reports/{pk}/subscribe", json.dumps({"email": "x@example.org"}),
                  content_type="application/json", **extra)  # fmt: skip


def confirm(c, pk, **extra):
    return c.post(f"/api/v1/reports/{pk}/confirm", **extra)


def test_signed_in_writes_need_the_csrf_token(browser, report_id, django_user_model):
    resident = django_user_model.objects.create_user("olena", "o@example.org", "pw-123456")
    browser.force_login(resident)
    for write in (confirm, subscribe):
        refused = write(browser, report_id, HTTP_ORIGIN=EVIL)
        assert refused.status_code == 403, write.__name__
        assert refused["Content-Type"] == "application/json" or "json" in refused["Content-Type"]
        assert write(browser, report_id).status_code == 403  # no token, even same-site
    page = browser.get("/reports/new/")  # the report page sets the CSRF cookie
    token = page.cookies["csrftoken"].value
    assert confirm(browser, report_id, HTTP_X_CSRFTOKEN=token).status_code == 201
    assert subscribe(browser, report_id, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_anonymous_writes_from_another_site_are_refused(browser, report_id):
    assert confirm(browser, report_id, HTTP_ORIGIN=EVIL).status_code == 403
    assert subscribe(browser, report_id, HTTP_ORIGIN=EVIL).status_code == 403
    r = browser.post("/api/v1/reports", json.dumps({"category": "other", "lat": 48.11, "lon": 32.764}),
                     content_type="application/json", HTTP_ORIGIN=EVIL)  # fmt: skip
    assert r.status_code == 403
    # the portal's own pages, and clients that send no Origin (curl, integrations), are served
    assert confirm(browser, report_id, HTTP_ORIGIN="http://testserver").status_code == 201
    assert subscribe(browser, report_id).status_code == 201


def test_token_clients_are_exempt(browser, report_id, django_user_model):
    from rest_framework.authtoken.models import Token

    user = django_user_model.objects.create_user("app", "a@example.org", "pw-123456")
    token = Token.objects.create(user=user)
    r = confirm(browser, report_id, HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ORIGIN=EVIL)
    assert r.status_code == 201
