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


def test_backup_folder_and_files_are_the_portal_users_alone(backup_dir):
    assert backup_dir.stat().st_mode & 0o777 == 0o700
    for path in backup_dir.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path.name


def fresh_fingerprint(url: str) -> dict:
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        return fingerprint(cursor)


def test_a_truncated_dump_leaves_the_real_database_as_it_was(backup_dir, fresh_cluster, workdir):
    """The restore test above left the demo in the fresh cluster: a truncated dump restored
    over it with --force must fail before touching it (the scratch database catches it)."""
    before = fresh_fingerprint(fresh_cluster)
    assert before["layers"] > 0 and before["features"] > 1000
    broken = workdir / "truncated"
    shutil.copytree(backup_dir, broken)
    dump = broken / "database.dump"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    done = manage("restore", str(broken), "--force", env=restore_env(fresh_cluster, workdir))
    assert done.returncode != 0
    assert "the dump does not restore" in done.stderr and "nothing was touched" in done.stderr
    assert "Traceback" not in done.stderr
    assert fresh_fingerprint(fresh_cluster) == before
    with psycopg.connect(fresh_cluster) as conn:  # no scratch database left behind
        names = [r[0] for r in conn.execute("SELECT datname FROM pg_database").fetchall()]
    assert not [n for n in names if n.startswith("geoportal_restore_check")]


def test_a_mismatch_found_in_the_real_database_rolls_the_whole_restore_back(
    backup_dir, fresh_cluster, workdir
):
    """The last line of defence: the check inside the replacing transaction. Driven directly
    (the scratch check would stop a tampered manifest first), with a fingerprint off by one."""
    before = fresh_fingerprint(fresh_cluster)
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    table = next(k for k in manifest["fingerprint"]["tables"] if k.startswith("layerdata."))
    manifest["fingerprint"]["tables"][table]["rows"] += 1
    script = (
        "import django, json, sys; from pathlib import Path; django.setup()\n"
        "from geoportal.ops import backup\n"
        "check = Path(sys.argv[2]); check.write_text(backup._check_sql(json.loads(sys.argv[3])))\n"
        "try:\n    backup._replace_database(Path(sys.argv[1]), check, True)\n"
        "except backup.BackupError as exc:\n    sys.exit(str(exc))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(backup_dir / "database.dump"),
         str(workdir / "check.sql"), json.dumps(manifest["fingerprint"])],
        cwd=ROOT, env=restore_env(fresh_cluster, workdir), capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode != 0
    assert f"restored data differs from the backup in {table}" in done.stderr
    assert "rolled back" in done.stderr
    assert fresh_fingerprint(fresh_cluster) == before


def test_an_encrypted_backup_holds_no_clear_data_and_restores_with_the_key(
    django_db_setup, fresh_cluster, workdir
):
    if not shutil.which("age-keygen"):
        pytest.fail("age is not installed (scripts/install-system-deps.sh installs it)")
    key = workdir / "age-key.txt"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    recipient = next(ln.split(": ")[1] for ln in key.read_text().splitlines() if "public key" in ln)
    env = server_env()
    env["GEOPORTAL_BACKUP_AGE_RECIPIENTS"] = recipient
    done = manage("backup", "--output", str(workdir / "encrypted"), env=env)
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.dump.age", "files.tar.gz.age", "manifest.json"
    ]  # fmt: skip
    assert b"layers_layer" not in (folder / "database.dump.age").read_bytes()

    target = restore_env(fresh_cluster, workdir)
    refused = manage("restore", str(folder), "--force", env=target)
    assert refused.returncode != 0 and "GEOPORTAL_BACKUP_AGE_IDENTITY" in refused.stderr
    target["GEOPORTAL_BACKUP_AGE_IDENTITY"] = str(key)
    restored = manage("restore", str(folder), "--force", env=target)
    assert restored.returncode == 0, restored.stderr
    with connection.cursor() as cursor:
        assert fresh_fingerprint(fresh_cluster) == fingerprint(cursor)


def test_rotation_keeps_the_newest_of_each_day_and_week(tmp_path):
    from geoportal.ops.backup import prune

    stamps = [
        "20260105T010000Z", "20260105T230000Z",  # Monday, week 2: two of one day
        "20260106T010000Z", "20260107T010000Z", "20260108T010000Z",
        "20251229T010000Z", "20251222T010000Z", "20251215T010000Z",  # earlier weeks
    ]  # fmt: skip
    for stamp in stamps:
        (tmp_path / stamp).mkdir()
        (tmp_path / stamp / "manifest.json").write_text("{}")
    (tmp_path / "20200101T000000Z-notes").mkdir()  # not a backup: never touched
    (tmp_path / "20200102T000000Z").mkdir()  # no manifest: not ours, never touched
    removed = prune(tmp_path, keep_daily=3, keep_weekly=3)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [
        "20200101T000000Z-notes", "20200102T000000Z",
        "20251222T010000Z", "20251229T010000Z",
        "20260106T010000Z", "20260107T010000Z", "20260108T010000Z",
    ]  # fmt: skip
    assert sorted(p.name for p in removed) == [
        "20251215T010000Z", "20260105T010000Z", "20260105T230000Z"
    ]  # fmt: skip
