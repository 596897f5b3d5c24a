"""Fault tests run on their own throwaway PostgreSQL cluster (initdb in a temp folder, as
devtools.pgcluster does for .pg/), because they stop and restart the server under a running
import, a running gunicorn and report intake: the shared test database is never touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from devtools.pgcluster import Cluster
from geoportal.ops.localserver import start_gunicorn, stop
from tests.conftest import ROOT


class ThrowawayPortal:
    """A cluster with a migrated portal database, and helpers to run the portal against it."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.cluster = Cluster(workdir / "pg")
        self.url = (
            f"postgresql://postgres@{quote(str(self.cluster.run), safe='')}:"
            f"{self.cluster.socket_port}/faults"
        )

    def env(self) -> dict:
        env = dict(os.environ)
        env["DATABASE_URL"] = self.url
        env["GEOPORTAL_MEDIA_ROOT"] = str(self.workdir / "media")
        env["GEOPORTAL_TILE_CACHE_DIR"] = str(self.workdir / "tiles")
        env["GEOPORTAL_RASTER_DIR"] = str(self.workdir / "rasters")
        env["GEOPORTAL_LOG_LEVEL"] = "ERROR"
        env["GEOPORTAL_CONN_MAX_AGE"] = "0"
        return env

    def manage(self, *args, timeout=300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def popen_manage(self, *args) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def query(self, sql: str, *params):
        """One statement on a fresh connection (the server may have restarted meanwhile)."""
        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def restart(self, down_seconds: float = 0.0) -> None:
        self.cluster.stop()
        time.sleep(down_seconds)
        self.cluster.start()


@pytest.fixture(scope="package")
def throwaway():
    workdir = Path(tempfile.mkdtemp(prefix="geoportal-faults-"))
    workdir.chmod(0o755)  # the server user (postgres, when we are root) must reach it
    portal = ThrowawayPortal(workdir)
    portal.cluster.init()
    portal.cluster.start()
    try:
        portal.cluster.ensure_database("faults")
        done = portal.manage("migrate", "--noinput", "-v", "0")
        assert done.returncode == 0, done.stderr
        yield portal
    finally:
        try:
            portal.cluster.stop()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def gunicorn(throwaway):
    """Start gunicorn (``workers`` processes) over the throwaway database; yields its base URL
    and master process."""
    procs = []

    def start(workers: int = 1, **env):
        url, proc = start_gunicorn(
            {**throwaway.env(), **env}, workers=workers, threads=2, timeout=60
        )
        procs.append(proc)
        return url, proc

    yield start
    for proc in procs:
        stop(proc)
