"""Wrong credentials are refused (401 + WWW-Authenticate), never served as anonymous; failed
logins through the login forms and HTTP basic auth lock a username+IP out (django-axes) with
429 + Retry-After, or the login page's message."""

from __future__ import annotations

import base64

import pytest
from django.conf import settings
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "s3cret-pass-9"
LIMIT = settings.AXES_FAILURE_LIMIT
COOL_OFF = int(settings.AXES_COOLOFF_TIME.total_seconds())


@pytest.fixture
def gis_user():
    return User.objects.create_user("gis-client", password=PASSWORD)


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def assert_challenge(response) -> None:
    assert response.status_code == 401, response.content[:300]
    assert response["WWW-Authenticate"] == 'Basic realm="geoportal"'


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/layers/",  # public data: was a 200 as anonymous
        "/api/v1/layers/parcels/features/?limit=1",
        "/ogc/collections?f=json",
    ],
)
def test_wrong_basic_password_is_401_not_anonymous(client, gis_user, demo_layers, path):
    response = client.get(path, HTTP_AUTHORIZATION=basic("gis-client", "wrong"))
    assert_challenge(response)
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "unauthorized"
    assert "wrong" not in response.content.decode()


def test_wrong_credentials_on_wfs_are_an_ows_401(client, gis_user, demo_layers):
    for header in (basic("gis-client", "wrong"), basic("nobody", "x"), "Bearer nope"):
        response = client.get(
            "/wfs", {"SERVICE": "WFS", "REQUEST": "GetCapabilities"}, HTTP_AUTHORIZATION=header
        )
        assert_challenge(response)
        assert b"ExceptionReport" in response.content, header


@pytest.mark.parametrize(
    "header",
    ["Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(), "Basic " + "\u0001", "Basic"],
)
def test_malformed_basic_credentials_are_401(client, header):
    assert_challenge(client.get("/api/v1/layers/", HTTP_AUTHORIZATION=header))


def test_right_basic_credentials_still_work(client, gis_user, demo_layers):
    response = client.get("/api/v1/layers/", HTTP_AUTHORIZATION=basic("gis-client", PASSWORD))
    assert response.status_code == 200
    response = client.get(
        "/wfs", {"SERVICE": "WFS", "REQUEST": "GetCapabilities"},
        HTTP_AUTHORIZATION=basic("gis-client", PASSWORD),
    )  # fmt: skip
    assert response.status_code == 200


def test_basic_auth_locks_out_a_username_and_ip(client, gis_user):
    wrong = basic("gis-client", "wrong")
    for _ in range(LIMIT - 1):
        assert_challenge(client.get("/api/v1/layers/", HTTP_AUTHORIZATION=wrong))
    locked = client.get("/api/v1/layers/", HTTP_AUTHORIZATION=wrong)  # the LIMIT-th failure
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == COOL_OFF
    assert locked.json()["code"] == "rate-limited"
    # now even the right password is refused from this IP ...
    right = basic("gis-client", PASSWORD)
    again = client.get("/api/v1/layers/", HTTP_AUTHORIZATION=right)
    assert again.status_code == 429 and int(again["Retry-After"]) == COOL_OFF
    # ... but the same user from another address, and another user from this one, get in
    elsewhere = client.get("/api/v1/layers/", HTTP_AUTHORIZATION=right, REMOTE_ADDR="10.9.8.7")
    assert elsewhere.status_code == 200
    User.objects.create_user("other-client", password=PASSWORD)
    other = client.get("/api/v1/layers/", HTTP_AUTHORIZATION=basic("other-client", PASSWORD))
    assert other.status_code == 200


def test_wfs_lockout_is_429_with_retry_after(client, gis_user):
    params = {"SERVICE": "WFS", "REQUEST": "GetCapabilities"}
    for _ in range(LIMIT):
        client.get("/wfs", params, HTTP_AUTHORIZATION=basic("gis-client", "wrong"))
    locked = client.get("/wfs", params, HTTP_AUTHORIZATION=basic("gis-client", PASSWORD))
    assert locked.status_code == 429 and int(locked["Retry-After"]) == COOL_OFF
    assert b"ExceptionReport" in locked.content


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_login_form_locks_out_with_the_pages_message(client, gis_user, url):
    gis_user.is_staff = True
    gis_user.save()
    for _ in range(LIMIT - 1):
        page = client.post(url, {"username": "gis-client", "password": "wrong"})
        assert page.status_code == 200  # the form again, with its usual error
    locked = client.post(url, {"username": "gis-client", "password": "wrong"})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == COOL_OFF
    text = locked.content.decode()
    assert "Забагато невдалих спроб входу" in text and 'name="password"' in text
    right = client.post(url, {"username": "gis-client", "password": PASSWORD})
    assert right.status_code == 429  # locked: no session cookie for the right password either
    assert "_auth_user_id" not in client.session
    elsewhere = client.post(
        url, {"username": "gis-client", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7"
    )
    assert elsewhere.status_code == 302


def test_a_successful_form_login_forgets_earlier_failures(client, gis_user):
    for _ in range(LIMIT - 1):
        client.post("/accounts/login/", {"username": "gis-client", "password": "wrong"})
    assert (
        client.post(
            "/accounts/login/", {"username": "gis-client", "password": PASSWORD}
        ).status_code
        == 302
    )
    client.logout()
    for _ in range(LIMIT - 1):
        page = client.post("/accounts/login/", {"username": "gis-client", "password": "wrong"})
        assert page.status_code == 200
