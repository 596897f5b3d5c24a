"""A live gunicorn over the test database with a small upload cap (1 MB), for upload tests,
and a session logged in as a staff member (the demo planner)."""

from __future__ import annotations

import re

import pytest
import requests

from geoportal.ops.localserver import gunicorn
from tests.conftest import server_env


@pytest.fixture(scope="module")
def upload_server(django_db_setup, tmp_path_factory):
    env = server_env() | {
        "GEOPORTAL_IMPORT_MAX_UPLOAD_MB": "1",
        "GEOPORTAL_IMPORT_UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
    }
    with gunicorn(env, workers=1, threads=4, timeout=120) as url:
        yield url, env["GEOPORTAL_IMPORT_UPLOAD_DIR"]


def login(base: str, username: str, password: str = "demo-pass-123") -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": "/",
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    assert response.ok
    return session
