"""Fixtures of the report tests (the landmark registry is tests/conftest.py's): full
rate-limit buckets in every test, staff and resident accounts, photo bytes."""

import json

import pytest

from tests.conftest import jpeg  # noqa: F401 -- the report tests import it from here


@pytest.fixture(autouse=True)
def _fresh_buckets(fresh_buckets):
    """Rate-limit buckets of one test must not leak into the next."""


@pytest.fixture
def staff(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="dispatcher")  # made by create_demo_users


@pytest.fixture
def resident(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("resident", "resident@example.org", "pw-123456")


# Centre of Dolynska (inside the hromada) as EXIF GPS: 48.11 N, 32.764 E.
CENTRE_GPS = {1: "N", 2: (48.0, 6.0, 36.0), 3: "E", 4: (32.0, 45.0, 50.4)}

REPORTS = "/api/v1/reports"


def post_report(client, body: dict, **extra):
    """POST a report as JSON (``extra``: request headers such as REMOTE_ADDR)."""
    return client.post(REPORTS, json.dumps(body), content_type="application/json", **extra)


def create_report(client, **body) -> int:
    """A report that must be accepted (a street light out at the centre unless ``body`` says
    otherwise); its id."""
    r = post_report(client, {"category": "light-out", "lat": 48.11, "lon": 32.764, **body})
    assert r.status_code == 201, r.content
    return r.json()["id"]
