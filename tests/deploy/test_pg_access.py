"""The embedded cluster's access rules: TCP clients need the password (scram-sha-256), the
socket folder is the server user's alone, and a cluster made before with `trust` is moved to
these rules on start without losing its data."""

import tempfile
from pathlib import Path

import psycopg
import pytest

from devtools.pgcluster import SUPERUSER, Cluster, _find_bindir
from geoportal.ops.localserver import free_port


@pytest.fixture
def base():
    parent = Path(tempfile.mkdtemp(prefix="pgaccess-"))
    parent.chmod(0o755)  # the unprivileged server user must reach it when we are root
    yield parent / "pg"


def tcp(port: int, password: str | None) -> psycopg.Connection:
    kw = {"password": password} if password is not None else {}
    return psycopg.connect(
        host="127.0.0.1", port=port, user=SUPERUSER, dbname="postgres", connect_timeout=5, **kw
    )


def test_tcp_client_with_a_wrong_password_is_refused(base):
    cluster = Cluster(base, port=free_port())
    cluster.start()
    try:
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            tcp(cluster.port, "wrong-password")
        with pytest.raises(psycopg.OperationalError, match="password"):
            tcp(cluster.port, "")
        with tcp(cluster.port, cluster.superuser_password()) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            method = conn.execute(
                "SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host' LIMIT 1"
            ).fetchone()[0]
        assert method == "scram-sha-256"
        assert (base / "superuser-password").stat().st_mode & 0o777 == 0o600
        assert (base / "run").stat().st_mode & 0o777 == 0o700
    finally:
        cluster.stop()


def test_a_trust_cluster_of_an_old_checkout_is_migrated_on_start_keeping_its_data(base):
    """As devtools.pgcluster made clusters before: initdb -A trust, TCP open to any password."""
    cluster = Cluster(base, port=free_port())
    cluster._prepare_dirs()
    initdb = [str(_find_bindir() / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER]
    res = cluster._run([*initdb, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"])
    assert res.returncode == 0, res.stderr
    assert "trust" in (cluster.data / "pg_hba.conf").read_text()
    pg_ctl = [str(_find_bindir() / "pg_ctl"), "-D", str(cluster.data), "-w"]
    opts = f"-c port={cluster.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{cluster.run}'"
    assert cluster._run([*pg_ctl, "-o", opts, "-l", str(base / "old.log"), "start"]).returncode == 0
    try:
        with tcp(cluster.port, "anything") as conn:  # the hole this issue closes
            conn.execute("CREATE TABLE kept (v text)")
            conn.execute("INSERT INTO kept VALUES ('resident data')")
            conn.commit()
        cluster.start()  # already running: the new pg_hba.conf is written and reloaded
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            tcp(cluster.port, "anything")
        cluster.stop()
        cluster.start()
        with tcp(cluster.port, cluster.superuser_password()) as conn:
            assert conn.execute("SELECT v FROM kept").fetchall() == [("resident data",)]
        kept = list(cluster.data.glob("pg_hba.conf.before-*"))
        assert kept, "the old pg_hba.conf is kept beside the new one"
    finally:
        cluster.stop()
