"""The embedded cluster: created, started, recovered and stopped without ever deleting data."""

import os
import tempfile
from pathlib import Path

import psycopg
import pytest

from devtools.pgcluster import Cluster, ClusterError, main


@pytest.fixture
def base():
    parent = Path(tempfile.mkdtemp(prefix="pgcluster-"))
    parent.chmod(0o755)  # the unprivileged server user must reach it when we are root
    yield parent / "pg"


def test_start_creates_database_with_postgis_and_stop(base):
    cluster = Cluster(base)
    cluster.start()
    try:
        cluster.ensure_database("geo_t")
        with psycopg.connect(**cluster.dsn("geo_t")) as conn:
            version = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
        assert version.startswith("3.")
        assert cluster.is_running()
        cluster.start()  # idempotent
    finally:
        assert cluster.stop() is True
    assert not cluster.is_running()
    assert (base / "data" / "PG_VERSION").exists(), "stop must keep the data"
    if os.geteuid() == 0:
        assert (base / "data").stat().st_uid != 0, "the server must not run as root"


def test_stale_pid_file_of_a_crashed_server_is_recovered(base):
    cluster = Cluster(base)
    cluster.start()
    cluster.stop()
    pidfile = base / "data" / "postmaster.pid"
    # a pid that certainly is not a postgres process
    pidfile.write_text("999999\n" + str(base / "data") + "\n")
    if cluster.run_as:
        import pwd

        pw = pwd.getpwnam(cluster.run_as)
        os.chown(pidfile, pw.pw_uid, pw.pw_gid)
    cluster.start()
    try:
        assert cluster.is_running()
    finally:
        cluster.stop()


def test_foreign_data_directory_is_refused_not_deleted(base):
    (base / "data").mkdir(parents=True)
    precious = base / "data" / "thesis.txt"
    precious.write_text("do not delete")
    with pytest.raises(ClusterError, match="never deleted"):
        Cluster(base).start()
    assert precious.read_text() == "do not delete"


def test_cli_reports_status_and_unknown_action(base, monkeypatch, capsys):
    monkeypatch.setenv("GEOPORTAL_PG_DIR", str(base))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["status"]) == 3
    assert "not running" in capsys.readouterr().out
    assert main(["frobnicate"]) == 2
    assert "unknown action" in capsys.readouterr().err
