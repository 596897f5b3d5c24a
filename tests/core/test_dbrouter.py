"""The replica router's decisions (core/dbrouter.py) without a replica server: which requests
read from the replica, and that a write keeps the rest of its request and the same caller's
next requests on the primary. The real replica (streaming, fallback, lag) is tested in
tests/ops/test_replica.py (slow)."""

from __future__ import annotations

import pytest
from django.conf import settings

from core import dbrouter


@pytest.fixture
def router(monkeypatch, tmp_path):
    monkeypatch.setitem(settings.DATABASES, dbrouter.REPLICA, {})
    monkeypatch.setattr(dbrouter, "replica_answers", lambda: True)
    monkeypatch.setattr(dbrouter, "STICKY_DIR", tmp_path / "recent-writes")
    yield dbrouter.ReplicaRouter()
    dbrouter._finished(None)


def start(path="/tiles/parcels/16/1/1.mvt", method="GET", cookie="sessionid=abc"):
    dbrouter._started(None, environ={"REQUEST_METHOD": method, "PATH_INFO": path,
                                     "HTTP_COOKIE": cookie, "REMOTE_ADDR": "10.0.0.1"})  # fmt: skip


@pytest.mark.parametrize(
    "path", ["/tiles/parcels/16/1/1.mvt", "/wfs", "/ogc/collections", "/api/v1/search?q=x", "/"]
)
def test_reads_of_the_map_surfaces_go_to_the_replica(router, path):
    start(path)
    assert router.db_for_read(None) == "replica"


@pytest.mark.parametrize(
    ("path", "method"),
    [("/admin/", "GET"), ("/reports/new/", "GET"), ("/api/v1/reports/", "POST"), ("/wfs", "POST")],
)
def test_everything_else_reads_from_the_primary(router, path, method):
    start(path, method)
    assert router.db_for_read(None) == "default"


def test_a_write_pins_its_request_and_its_caller_to_the_primary(router, monkeypatch):
    start()
    assert router.db_for_read(None) == "replica"
    assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"  # the rest of this request
    dbrouter._finished(None)
    start()  # the same session, right after
    assert router.db_for_read(None) == "default"
    start(cookie="sessionid=someone-else")
    assert router.db_for_read(None) == "replica"
    monkeypatch.setattr(dbrouter, "STICKY_SECONDS", 0.0)  # the few seconds are over
    start()
    assert router.db_for_read(None) == "replica"


def test_outside_a_request_everything_uses_the_primary(router):
    dbrouter._finished(None)
    assert router.db_for_read(None) == "default"
    assert router.allow_migrate("replica", "layers") is False
    assert router.allow_migrate("default", "layers") is True


def test_a_replica_that_does_not_answer_sends_reads_to_the_primary(router, monkeypatch):
    monkeypatch.setattr(dbrouter, "replica_answers", lambda: False)
    start()
    assert router.db_for_read(None) == "default"
