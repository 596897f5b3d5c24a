"""Test fixtures: a real PostGIS test database with the demo hromada loaded once per session,
and a real HTTP server (gunicorn) over that database for GDAL, OWSLib and Chromium clients.

Tests that use ``db`` run in a transaction that is rolled back, so the demo stays intact; the
live server sees only committed data, i.e. the demo as loaded.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import requests

from geoportal.ops.localserver import gunicorn
from tests.browser import browser, new_page  # noqa: F401 -- the session's one browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "demo-pass-123"  # of every demo user the session creates


def _var_snapshot() -> dict[str, tuple[int, int]]:
    """Size and mtime of every file under the checkout's var/ (a deployment's data)."""
    var = ROOT / "var"
    return {
        str(p.relative_to(var)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in (var.rglob("*") if var.is_dir() else [])
        if p.is_file()
    }


def pytest_sessionstart(session):
    session.config._var_before = _var_snapshot()


def pytest_sessionfinish(session, exitstatus):
    """A test run must leave the checkout's var/ as it found it (tests/settings.py sends every
    write to a temporary folder): any change fails the run, naming the files."""
    before = getattr(session.config, "_var_before", None)
    if before is None:
        return
    after = _var_snapshot()
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if changed:
        print(f"\nerror: the test run wrote into {ROOT / 'var'}: {', '.join(changed[:10])}")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the demo hromada loaded (once per session)."""
    from django.core.management import call_command
    from django.db import connection

    # pytest-django sets the test database up only when a selected test is marked django_db;
    # otherwise this would load the demo (and its known passwords) into the developer's database.
    if not connection.settings_dict["NAME"].startswith("test"):
        pytest.fail(
            f"not a test database: {connection.settings_dict['NAME']} "
            "(no selected test is marked django_db)"
        )
    with django_db_blocker.unblock():
        if os.environ.get("GEOPORTAL_TEST_NO_DEMO") != "1":  # quick runs of unit tests only
            call_command("load_demo", verbosity=0)
        call_command("create_demo_users", password=PASSWORD, verbosity=0)
    yield


@pytest.fixture(scope="session")
def demo_layers(django_db_setup, django_db_blocker):
    from layers.models import Layer

    with django_db_blocker.unblock():
        return {layer.slug: layer for layer in Layer.objects.all()}


@pytest.fixture(scope="module")
def registry(django_db_setup, django_db_blocker, demo_layers):
    """The landmark registry built (committed) from the demo layers; the demo layers by slug."""
    if "street-light-poles" not in demo_layers:
        pytest.skip("demo hromada not loaded (GEOPORTAL_TEST_NO_DEMO=1)")
    from geoportal.locator.registry import ensure_fresh

    with django_db_blocker.unblock():
        ensure_fresh(now=True)
    return demo_layers


def server_env() -> dict:
    """Environment for a subprocess that must use the test database."""
    from django.conf import settings

    env = dict(os.environ)
    test_name = settings.DATABASES["default"]["NAME"]
    if env.get("DATABASE_URL"):
        parts = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + quote(test_name)))
    else:
        env["GEOPORTAL_PG_DBNAME"] = test_name
    env["GEOPORTAL_LOG_LEVEL"] = "ERROR"
    env["GEOPORTAL_ACCESS_LOG_LEVEL"] = "WARNING"  # no access record per test request
    return env


@pytest.fixture(scope="session")
def portal_server(django_db_setup):
    """Base URL of a real gunicorn serving the portal over the test database."""
    with gunicorn(server_env(), workers=2, threads=4, timeout=120) as url:
        yield url


@pytest.fixture
def fresh_buckets(django_db_setup, django_db_blocker):
    """Every rate-limit bucket full before and after the test (core.ratelimit.reset, committed
    on a connection of its own, so live servers see it too)."""
    from core.ratelimit import reset

    with django_db_blocker.unblock():
        reset()
    yield
    with django_db_blocker.unblock():
        reset()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def login(base: str, username: str, password: str = PASSWORD) -> requests.Session:
    """A session signed in through the portal's login form (CSRF token and all); fails the test
    when the form does not accept the login (it answers a wrong password with a 200 page)."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    done = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    assert done.status_code == 302, f"login of {username} failed: {done.text[:1500]}"
    return session


def gps_exif(lat: float, lon: float) -> dict:
    """EXIF GPS tags (north/east) for ``lat``, ``lon`` in degrees, minutes, seconds."""

    def dms(value):
        d = int(value)
        m = int((value - d) * 60)
        return (float(d), float(m), round(((value - d) * 60 - m) * 60, 4))

    return {1: "N", 2: dms(lat), 3: "E", 4: dms(lon)}


def jpeg(gps: dict | None = None, size=(64, 48), tags: dict | None = None) -> bytes:
    """A small JPEG whose EXIF names a camera maker (a private detail photos must lose), with
    ``gps`` tags (see gps_exif) and any other EXIF ``tags`` given; it also carries a JPEG
    comment, XMP and an ICC profile, each holding private text."""
    from PIL import Image, ImageCms

    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    exif.update(tags or {})
    if gps is not None:
        exif.get_ifd(0x8825).update(gps)
    buf = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Olena Private</dc:creator></x:xmpmeta>'
    Image.new("RGB", size, (120, 130, 140)).save(
        buf, "JPEG", exif=exif.tobytes(), comment=b"Olena +380501112233", icc_profile=icc, xmp=xmp
    )
    return buf.getvalue()
