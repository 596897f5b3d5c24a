"""A live gunicorn over the test database with a small upload cap (1 MB), for upload tests,
and a session logged in as a staff member (the demo planner)."""

from __future__ import annotations

import pytest

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
