"""Fixtures of the security tests: a gunicorn of their own (fresh rate-limit buckets), a
restricted layer (a group's copy of a few power poles), and one HTTP session per role."""

from __future__ import annotations

import pytest
import requests

from geoportal.ops.localserver import gunicorn
from tests.conftest import PASSWORD, login, server_env

RESTRICTED = "restricted-poles"


@pytest.fixture(scope="session")
def security_server(django_db_setup):
    with gunicorn(server_env(), workers=2, threads=1, timeout=60) as url:
        yield url


@pytest.fixture(scope="session")
def restricted_layer(django_db_setup, django_db_blocker):
    """A layer only the analysts group may see, with a real feature table (committed, so the
    live server sees it; removed with its table afterwards)."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from geoportal.accounts.roles import ANALYSTS
    from layers.models import Access, Layer

    table = RESTRICTED.replace("-", "_")

    def remove():  # also what an interrupted earlier run may have left behind
        Layer.objects.filter(slug=RESTRICTED).delete()  # drops the table too (layers.signals)
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS layerdata.{table}")

    with django_db_blocker.unblock():
        remove()
        try:
            source = Layer.objects.get(slug="power-poles")
            fields = {
                f.name: getattr(source, f.name)
                for f in Layer._meta.concrete_fields
                if f.name not in ("id", "slug", "access", "created_at", "updated_at", "updated_by")
            }
            fields.update(title_uk="Опори (обмежений доступ)", feature_count=5)
            layer = Layer.objects.create(**fields, slug=RESTRICTED, access=Access.RESTRICTED)
            layer.groups.add(Group.objects.get(name=ANALYSTS))
            with connection.cursor() as cur:
                cur.execute(
                    f"CREATE TABLE layerdata.{table} AS "
                    "SELECT * FROM layerdata.power_poles ORDER BY fid LIMIT 5"
                )
                cur.execute(f"ALTER TABLE layerdata.{table} ADD PRIMARY KEY (fid)")
        except BaseException:
            remove()
            raise
    yield layer
    with django_db_blocker.unblock():
        remove()


@pytest.fixture(scope="session")
def role_sessions(security_server, django_db_blocker, restricted_layer):
    """anonymous; resident and staff (session cookie from the login form); analyst (API
    token); superuser (HTTP basic auth, as QGIS sends it)."""
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    with django_db_blocker.unblock():
        User.objects.filter(username__in=["matrix-resident", "matrix-root"]).delete()
        User.objects.create_user("matrix-resident", password=PASSWORD)
        User.objects.create_superuser("matrix-root", password=PASSWORD)
        analyst_token = Token.objects.get(user__username="analyst").key
    analyst = requests.Session()
    analyst.headers["Authorization"] = f"Token {analyst_token}"
    root = requests.Session()
    root.auth = ("matrix-root", PASSWORD)
    yield {
        "anonymous": requests.Session(),
        "resident": login(security_server, "matrix-resident"),
        "staff": login(security_server, "planner"),
        "analyst": analyst,
        "superuser": root,
    }
    with django_db_blocker.unblock():
        User.objects.filter(username__in=["matrix-resident", "matrix-root"]).delete()
