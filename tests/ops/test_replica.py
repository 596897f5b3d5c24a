"""Reads from a streaming replica (core/dbrouter.py) on two real local clusters on loopback:
a primary and a replica made from it by pg_basebackup -R (devtools/pgcluster.py), and the
portal under gunicorn with DATABASE_URL on the primary and GEOPORTAL_REPLICA_URL on the
replica. Features imported on the primary reach the replica's tiles after the version bump;
tiles are read on the replica; a stopped replica sends reads to the primary with no error;
/readyz shows the replica's lag. Slow (two clusters, a migration): `make test-long`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mapbox_vector_tile
import morecantile
import psycopg
import pytest
import requests

from devtools.pgcluster import Cluster
from geoportal.ops.localserver import free_port, start_gunicorn, stop

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TMS = morecantile.tms.get("WebMercatorQuad")
CENTRE = (32.764, 48.110)  # inside the demo hromada's extent
SLUG = "replica-stops"


def _points(n: int) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": f"stop {i}"},
                "geometry": {
                    "type": "Point",
                    "coordinates": [CENTRE[0] + (i % 10) * 0.0002, CENTRE[1] + (i // 10) * 0.0002],
                },
            }
            for i in range(n)
        ],
    }


def _url(cluster: Cluster) -> str:
    return (
        f"postgresql://postgres:{cluster.superuser_password()}@127.0.0.1:{cluster.port}/geoportal"
    )


def _manage(env: dict, *args: str) -> None:
    res = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr[-2000:]


def _import(env: dict, workdir: Path, n: int) -> None:
    path = workdir / f"stops-{n}.geojson"
    path.write_text(json.dumps(_points(n)))
    _manage(env, "import_layer", str(path), "--layer", SLUG, "--title", "Зупинки (репліка)",
            "--category", "roads", "--access", "public")  # fmt: skip


def _replica_rows(replica: Cluster) -> int:
    with psycopg.connect(_url(replica), connect_timeout=3) as conn:
        table = conn.execute("SELECT to_regclass(%s)", [f"layerdata.{SLUG.replace('-', '_')}"])
        if table.fetchone()[0] is None:
            return -1
        return conn.execute(f"SELECT count(*) FROM layerdata.{SLUG.replace('-', '_')}").fetchone()[
            0
        ]


def _wait_replica(replica: Cluster, n: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while _replica_rows(replica) != n:
        assert time.monotonic() < deadline, f"the replica never had {n} rows"
        time.sleep(0.2)


def _replica_transactions(replica: Cluster) -> int:
    with psycopg.connect(_url(replica), connect_timeout=3) as conn:
        return conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'geoportal'"
        ).fetchone()[0]


def _replica_counted(replica: Cluster, at_least: int, seconds: float = 15.0) -> int:
    """The replica's transaction count once it reaches ``at_least`` (or the last one read):
    PostgreSQL 15 backends flush their statistics when idle, at most once a second and, with
    more pending, after up to 10 s, so the count trails the requests just made."""
    deadline = time.monotonic() + seconds
    count = _replica_transactions(replica)
    while count < at_least and time.monotonic() < deadline:
        time.sleep(0.5)
        count = _replica_transactions(replica)
    return count


@pytest.fixture(scope="module")
def pair():
    """(primary, replica, portal URL, env, workdir); everything stopped and removed after."""
    workdir = Path(tempfile.mkdtemp(prefix="geoportal-replica-"))
    workdir.chmod(0o755)  # the server's own user must reach the clusters' folders
    primary = Cluster(workdir / "primary", port=free_port())
    replica = Cluster(workdir / "replica", port=free_port())
    server = None
    try:
        primary.start()
        primary.ensure_database("geoportal")
        replica.make_replica_of(primary)
        replica.start()
        env = dict(os.environ)
        env.update(
            DATABASE_URL=_url(primary),
            GEOPORTAL_TILE_CACHE="0",  # every tile read from the database
            GEOPORTAL_TILE_CACHE_DIR=str(workdir / "tiles"),
            GEOPORTAL_REPLICA_RETRY_SECONDS="1",
        )
        _manage(env, "migrate", "--noinput", "-v", "0")
        _import(env, workdir, 10)
        env["GEOPORTAL_REPLICA_URL"] = _url(replica)
        url, server = start_gunicorn(env, workers=2, threads=2, timeout=60)
        yield primary, replica, url, env, workdir
    finally:
        if server is not None:
            stop(server)
        for cluster in (replica, primary):
            try:
                cluster.stop()
            except Exception as exc:  # noqa: BLE001 -- report, keep cleaning up
                print(f"could not stop {cluster.base}: {exc}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)


def _tile_features(url: str) -> int:
    tile = TMS.tile(*CENTRE, 16)
    r = requests.get(f"{url}/tiles/{SLUG}/16/{tile.x}/{tile.y}.mvt", timeout=30)
    assert r.status_code in (200, 204), r.text[:300]
    if r.status_code == 204:
        return 0
    return len(mapbox_vector_tile.decode(r.content)[SLUG]["features"])


def test_replica_streams_and_tiles_are_read_there(pair):
    primary, replica, url, env, workdir = pair
    _wait_replica(replica, 10)
    with psycopg.connect(_url(replica)) as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
    before = _replica_transactions(replica)
    for _ in range(5):
        assert _tile_features(url) == 10
    assert _replica_counted(replica, before + 5) >= before + 5


def test_imported_features_reach_the_replicas_tiles_after_the_version_bump(pair):
    primary, replica, url, env, workdir = pair
    assert _tile_features(url) == 10
    _import({k: v for k, v in env.items() if k != "GEOPORTAL_REPLICA_URL"}, workdir, 25)
    _wait_replica(replica, 25)
    deadline = time.monotonic() + 10  # the registry's snapshot follows its marker / TTL
    while _tile_features(url) != 25:
        assert time.monotonic() < deadline, "the new features never reached the tiles"
        time.sleep(0.3)


def test_readyz_shows_the_replica_lag(pair):
    primary, replica, url, env, workdir = pair
    body = requests.get(f"{url}/readyz", timeout=10).json()
    assert body["status"] == "ok"
    assert body["replica"]["status"] == "ok" and body["replica"]["streaming"] is True
    assert 0 <= body["replica"]["lag_seconds"] < 60


def test_a_stopped_replica_sends_reads_to_the_primary_without_error(pair):
    primary, replica, url, env, workdir = pair
    assert _tile_features(url) == 25
    replica.stop()
    try:
        for _ in range(10):  # both workers, persistent connections to the stopped server
            assert _tile_features(url) == 25
        body = requests.get(f"{url}/readyz", timeout=10)
        assert body.status_code == 200
        assert body.json()["replica"]["status"] == "unavailable"
    finally:
        replica.start()
    _wait_replica(replica, 25)
    time.sleep(1.5)  # past GEOPORTAL_REPLICA_RETRY_SECONDS: the replica is tried again
    before = _replica_transactions(replica)
    for _ in range(4):
        assert _tile_features(url) == 25
    assert _replica_counted(replica, before + 1) > before
