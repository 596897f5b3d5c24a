"""The cached access decision of a session or token (layers.access): a cached staff tile is
served by tiles.fastpath with no query once Django has decided for that credential, and every
change that can alter the decision sends the next request back to Django, which refuses it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from layers import access
from layers.models import Access, Layer
from tiles.fastpath import PublicTileFastPath

from .conftest import first_feature_tile

pytestmark = pytest.mark.django_db


class Django:
    """The inner WSGI app: records that the fast path passed the request on."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("599 Passed On", [])
        return [b""]


@pytest.fixture
def pole_url():
    z, x, y = first_feature_tile("power_poles")
    return f"/tiles/power-poles/{z}/{x}/{y}.mvt"


@pytest.fixture
def planner():
    return User.objects.get(username="planner")


def fast(url: str, *, cookie: str = "", token: str = "") -> tuple[str, bytes]:
    """(status, body) of ``url`` through the fast path ("599 Passed On": Django's turn)."""
    inner = Django()
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": url}
    if cookie:
        environ["HTTP_COOKIE"] = f"sessionid={cookie}"
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Token {token}"
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(PublicTileFastPath(inner)(environ, start_response))
    return seen["status"], body


def session_of(client) -> str:
    return client.cookies["sessionid"].value


def test_a_decided_session_gets_cached_staff_tiles_with_no_query(
    client, tile_cache, pole_url, planner
):
    client.force_login(planner)
    first = client.get(pole_url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        status, body = fast(pole_url, cookie=session_of(client))
    assert status == "200 OK" and body == first.content
    assert len(queries) == 0
    # The Django view reuses the decision too: no layer query on the next tile.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(pole_url).status_code == 200
    assert not [q for q in queries if "layers_layer" in q["sql"]]


def test_no_decision_no_fast_answer(client, tile_cache, pole_url, planner):
    client.force_login(planner)
    client.get(pole_url)
    assert fast(pole_url)[0] == "599 Passed On"  # anonymous
    assert fast(pole_url, cookie="forged-session-key")[0] == "599 Passed On"
    assert fast(pole_url, token="0" * 40)[0] == "599 Passed On"


def test_layer_access_change_invalidates(client, tile_cache, pole_url, planner):
    client.force_login(planner)
    assert client.get(pole_url).status_code == 200
    assert fast(pole_url, cookie=session_of(client))[0] == "200 OK"
    layer = Layer.objects.get(slug="power-poles")
    layer.access = Access.RESTRICTED  # a group the planner is not in
    layer.save()
    assert fast(pole_url, cookie=session_of(client))[0] == "599 Passed On"
    assert client.get(pole_url).status_code == 404


def test_group_membership_change_invalidates(client, tile_cache, pole_url):
    analyst = User.objects.create_user("analyst-x", password="x" * 12)
    group = Group.objects.create(name="network-analysts")
    layer = Layer.objects.get(slug="power-poles")
    layer.access = Access.RESTRICTED
    layer.save()
    layer.groups.add(group)
    analyst.groups.add(group)
    token = Token.objects.create(user=analyst).key
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get(pole_url, **auth).status_code == 200
    assert fast(pole_url, token=token)[0] == "200 OK"
    analyst.groups.remove(group)  # the user leaves the group
    assert fast(pole_url, token=token)[0] == "599 Passed On"
    assert client.get(pole_url, **auth).status_code == 404
    analyst.groups.add(group)
    assert client.get(pole_url, **auth).status_code == 200
    assert fast(pole_url, token=token)[0] == "200 OK"
    layer.groups.remove(group)  # the layer leaves the group
    assert fast(pole_url, token=token)[0] == "599 Passed On"
    assert client.get(pole_url, **auth).status_code == 404
    layer.groups.add(group)
    assert client.get(pole_url, **auth).status_code == 200
    group.delete()  # the group goes
    assert fast(pole_url, token=token)[0] == "599 Passed On"
    assert client.get(pole_url, **auth).status_code == 404


def test_token_change_invalidates(client, tile_cache, pole_url, planner):
    token = Token.objects.get_or_create(user=planner)[0]
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get(pole_url, **auth).status_code == 200
    assert fast(pole_url, token=token.key)[0] == "200 OK"
    token.delete()
    assert fast(pole_url, token=token.key)[0] == "599 Passed On"
    assert client.get(pole_url, **auth).status_code == 401


def test_user_change_invalidates(client, tile_cache, pole_url, planner):
    client.force_login(planner)
    assert client.get(pole_url).status_code == 200
    planner.is_staff = False
    planner.save()
    assert fast(pole_url, cookie=session_of(client))[0] == "599 Passed On"
    assert client.get(pole_url).status_code == 404


def test_logout_invalidates(client, tile_cache, pole_url, planner):
    client.force_login(planner)
    assert client.get(pole_url).status_code == 200
    cookie = session_of(client)
    assert fast(pole_url, cookie=cookie)[0] == "200 OK"
    client.logout()  # the session is deleted
    assert fast(pole_url, cookie=cookie)[0] == "599 Passed On"


def test_another_process_invalidating_is_seen(client, tile_cache, pole_url, planner):
    client.force_login(planner)
    assert client.get(pole_url).status_code == 200
    assert fast(pole_url, cookie=session_of(client))[0] == "200 OK"
    from pathlib import Path

    Path(access.MARKER).write_text("written by another worker")  # a new size/mtime: stale
    assert fast(pole_url, cookie=session_of(client))[0] == "599 Passed On"


def test_a_decision_expires_with_the_ttl(client, tile_cache, pole_url, planner, monkeypatch):
    client.force_login(planner)
    monkeypatch.setattr(access, "TTL", 0.0)
    assert client.get(pole_url).status_code == 200
    assert fast(pole_url, cookie=session_of(client))[0] == "599 Passed On"
