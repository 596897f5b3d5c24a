"""API tokens and basic auth work on every path; roles come from groups."""

import base64

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from geoportal.accounts.roles import DISPATCHERS, PLANNERS, assign_role
from layers.models import Access, Layer

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_layer():
    return Layer.objects.create(slug="t-internal", title_uk="Внутрішній", access=Access.STAFF)


def slugs(response):
    assert response.status_code == 200, response.content
    return {layer["slug"] for layer in response.json()}


def test_staff_roles_set_is_staff():
    for role in (PLANNERS, DISPATCHERS):
        user = User.objects.create_user(f"u-{role}")
        assign_role(user, role)
        user.refresh_from_db()
        assert user.is_staff and user.groups.filter(name=role).exists()


def test_token_and_basic_auth_see_staff_layers(client, staff_layer):
    user = User.objects.create_user("planner-t", password="s3cret-pass")
    assign_role(user, PLANNERS)
    token = Token.objects.create(user=user)
    assert "t-internal" not in slugs(client.get("/api/v1/layers/"))
    assert "t-internal" in slugs(
        client.get("/api/v1/layers/", HTTP_AUTHORIZATION=f"Token {token.key}")
    )
    assert "t-internal" in slugs(
        client.get("/api/v1/layers/", HTTP_AUTHORIZATION=f"Bearer {token.key}")
    )
    basic = base64.b64encode(b"planner-t:s3cret-pass").decode()
    assert "t-internal" in slugs(client.get("/api/v1/layers/", HTTP_AUTHORIZATION=f"Basic {basic}"))


def test_wrong_credentials_do_not_grant_anything(client, staff_layer):
    bad = base64.b64encode(b"planner-t:wrong").decode()
    for header in ("Token nope", f"Basic {bad}", "Basic !!!notbase64"):
        response = client.get("/api/v1/layers/t-internal/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
    # a scheme that is not the portal's is left alone: the caller is anonymous
    response = client.get("/api/v1/layers/t-internal/", HTTP_AUTHORIZATION="Weird x")
    assert response.status_code == 404


def test_ukrainian_is_the_default_language_and_english_available(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="uk"' in response.content.decode()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_staff_roles_hold_the_admin_permissions_of_their_work(client):
    """Staff accounts could log in to the admin but held no model permission: every page was a
    403. Now each role sees what its work needs and nothing more."""
    from django.contrib.auth import get_user_model

    from geoportal.accounts.roles import DISPATCHERS, PLANNERS, assign_role

    users = {}
    for role in (PLANNERS, DISPATCHERS):
        user = get_user_model().objects.create_user(f"{role}-1", password="pw-123456")
        assign_role(user, role)
        users[role] = get_user_model().objects.get(pk=user.pk)  # fresh permission cache
    planner, dispatcher = users[PLANNERS], users[DISPATCHERS]
    assert planner.has_perm("layers.change_layer") and not planner.has_perm("layers.delete_layer")
    assert not planner.has_perm("reports.change_report")
    assert dispatcher.has_perm("reports.change_report") and dispatcher.has_perm("reports.view_area")
    assert not dispatcher.has_perm("layers.change_layer")
    assert not dispatcher.has_perm("reports.change_apikey")  # API keys: administrators
    client.force_login(dispatcher)
    assert client.get("/admin/reports/report/").status_code == 200
    assert client.get("/admin/layers/layer/").status_code == 403
    client.force_login(planner)
    assert client.get("/admin/layers/layer/").status_code == 200
    assert client.get("/admin/reports/report/").status_code == 403
