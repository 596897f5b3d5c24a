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


def cleanup_layers(*slugs):
    """A module fixture deleting the layers ``slugs`` (and their import records) after the
    module: the uploads its tests made through the live server are committed."""

    @pytest.fixture(scope="module", autouse=True)
    def _cleanup(django_db_blocker):
        yield
        with django_db_blocker.unblock():
            from importers.models import ImportRun
            from layers.models import Layer

            Layer.objects.filter(slug__in=slugs).delete()
            ImportRun.objects.filter(layer_slug__in=slugs).delete()

    return _cleanup


def planner_upload_page(browser, base: str, width: int = 1440, height: int = 900):
    """A page signed in as the demo planner on the upload page, and the page errors it collects."""
    page = browser.new_page(viewport={"width": width, "height": height}, locale="uk-UA")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/accounts/login/?next=/importers/upload/")
    page.fill("#id_username", "planner")
    page.fill("#id_password", "demo-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/importers/upload/")
    return page, errors
