"""`manage.py backup` / `restore`: the test database and its files, backed up by the real
command and restored into a freshly initialised throwaway PostgreSQL cluster (initdb, as
devtools.pgcluster does for .pg/), then compared table by table (rows, md5 of layer tables)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from devtools.pgcluster import Cluster
from geoportal.ops.backup import fingerprint
from tests.conftest import ROOT, server_env

pytestmark = pytest.mark.django_db


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def workdir():
    path = Path(tempfile.mkdtemp(prefix="geoportal-backup-"))
    path.chmod(0o755)  # the cluster's server user (postgres, when we are root) must reach it
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def fresh_cluster(workdir):
    """A new, empty PostGIS cluster: the 'other machine' a backup is restored on."""
    cluster = Cluster(workdir / "pg")
    cluster.init()
    cluster.start()
    try:
        cluster.ensure_database("restored")
        yield (
            f"postgresql://postgres@{quote(str(cluster.run), safe='')}:"
            f"{cluster.socket_port}/restored"
        )
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def backup_dir(django_db_setup, workdir):
    media = Path(os.environ["GEOPORTAL_MEDIA_ROOT"])
    rasters = Path(os.environ["GEOPORTAL_RASTER_DIR"])
    (media / "reports").mkdir(parents=True, exist_ok=True)
    (media / "reports" / "photo.jpg").write_bytes(b"\xff\xd8jpeg-bytes" * 100)
    rasters.mkdir(parents=True, exist_ok=True)
    (rasters / "orthophoto.tif").write_bytes(b"II*\x00cog" * 1000)
    done = manage("backup", "--output", str(workdir / "backups"), env=server_env())
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def restore_env(url: str, workdir: Path) -> dict:
    env = server_env()
    env["DATABASE_URL"] = url
    env["GEOPORTAL_MEDIA_ROOT"] = str(workdir / "restored-media")
    env["GEOPORTAL_RASTER_DIR"] = str(workdir / "restored-rasters")
    return env


def test_backup_folder_holds_dump_files_and_manifest(backup_dir):
    assert (backup_dir / "database.dump").stat().st_size > 100_000
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    print_ = manifest["fingerprint"]
    assert print_["layers"] >= 10 and print_["features"] > 1000
    assert any(k.startswith("layerdata.") and v.get("md5") for k, v in print_["tables"].items())
    with connection.cursor() as cursor:  # the manifest describes the database it came from
        assert fingerprint(cursor) == print_


def test_restore_into_a_fresh_cluster_then_refuse_then_force(backup_dir, fresh_cluster, workdir):
    env = restore_env(fresh_cluster, workdir)
    done = manage("restore", str(backup_dir), env=env)
    assert done.returncode == 0, done.stderr
    assert "restored and verified" in done.stdout

    with connection.cursor() as cursor:
        source = fingerprint(cursor)
    with psycopg.connect(fresh_cluster) as conn, conn.cursor() as cursor:
        restored = fingerprint(cursor)
        cursor.execute("SELECT count(*) FROM layers_layer WHERE access <> 'public'")
        assert cursor.fetchone()[0] > 0  # staff-only layers came back too
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = 'geoportal_reader'")
        assert cursor.fetchone()
    assert restored == source
    media = workdir / "restored-media" / "reports" / "photo.jpg"
    assert media.read_bytes() == b"\xff\xd8jpeg-bytes" * 100
    assert (workdir / "restored-rasters" / "orthophoto.tif").read_bytes() == b"II*\x00cog" * 1000

    again = manage("restore", str(backup_dir), env=env)
    assert again.returncode != 0
    assert "refusing to overwrite data in database restored" in again.stderr
    assert "Traceback" not in again.stderr

    forced = manage("restore", str(backup_dir), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    kept = list(workdir.glob("restored-media.before-restore-*"))
    assert kept and (kept[0] / "reports" / "photo.jpg").exists()  # nothing deleted


def test_restore_that_does_not_match_the_manifest_fails(backup_dir, fresh_cluster, workdir):
    tampered = workdir / "tampered"
    shutil.copytree(backup_dir, tampered)
    manifest = json.loads((tampered / "manifest.json").read_text())
    table = next(k for k in manifest["fingerprint"]["tables"] if k.startswith("layerdata."))
    manifest["fingerprint"]["tables"][table]["rows"] += 1
    (tampered / "manifest.json").write_text(json.dumps(manifest))
    done = manage("restore", str(tampered), "--force", env=restore_env(fresh_cluster, workdir))
    assert done.returncode != 0
    assert f"restored data differs from the backup in {table}" in done.stderr


def test_restore_of_a_folder_that_is_no_backup(tmp_path):
    done = manage("restore", str(tmp_path), env=server_env())
    assert done.returncode != 0
    assert "is not a backup folder" in done.stderr
