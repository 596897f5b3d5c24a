"""Backups of everything the portal cannot regenerate: the database (every schema, including
the layer tables in ``layerdata`` and their kept versions) as a ``pg_dump -Fc`` archive, and the
uploaded files (GEOPORTAL_MEDIA_ROOT) and rasters (GEOPORTAL_RASTER_DIR) as one tar.

A backup is a folder ``<BACKUP_DIR>/<UTC timestamp>/`` holding ``database.dump``,
``files.tar.gz`` and ``manifest.json`` (what was saved and a fingerprint of the data: row
counts of every table and an md5 of every layer table). ``restore`` loads it into the configured
database, refusing a database or folder that already holds data unless ``force``, and checks
the restored fingerprint against the manifest. The tile cache is not saved: it is rebuilt.

Connection parameters come from Django's settings, so the embedded cluster and DATABASE_URL
work alike; pg_dump / pg_restore are the newest found (they must not be older than the server).
"""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from core import conf as portal_conf
from core import postgres
from layers.storage import READER_ROLE, SCHEMA, qualified, quote

from . import conf

__all__ = ["BackupError", "backup", "fingerprint", "restore"]

FORMAT_VERSION = 1
SYSTEM_SCHEMAS = ["pg_catalog", "information_schema", "pg_toast"]


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why in one line."""


def _tool(name: str) -> str:
    try:
        return postgres.tool(name)
    except postgres.PostgresNotFound as exc:
        raise BackupError(str(exc)) from exc


def _libpq_env() -> dict:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    env["PGDATABASE"] = db["NAME"]
    env["PGCONNECT_TIMEOUT"] = "10"
    return env


def _run(args: list[str]) -> None:
    res = subprocess.run(args, env=_libpq_env(), capture_output=True, text=True)
    if res.returncode != 0:
        raise BackupError(
            f"{Path(args[0]).name} failed: {postgres.last_line(res.stderr or res.stdout)}"
        )


def _file_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "rasters": Path(portal_conf.RASTER_DIR)}


def fingerprint(cursor) -> dict:
    """Row counts of every user table and an md5 over each layer table's rows (by fid)."""
    cursor.execute(
        """
        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname <> ALL(%s) AND n.nspname NOT LIKE 'pg_temp%%'
        ORDER BY 1, 2
        """,
        [SYSTEM_SCHEMAS],
    )
    tables = {}
    for schema, name in cursor.fetchall():
        if schema == SCHEMA:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY fid), '')) "
                f"FROM {qualified(name, schema)} t"
            )
            rows, digest = cursor.fetchone()
            tables[f"{schema}.{name}"] = {"rows": rows, "md5": digest}
        else:
            cursor.execute(f"SELECT count(*) FROM {qualified(name, schema)}")
            tables[f"{schema}.{name}"] = {"rows": cursor.fetchone()[0]}
    layer_tables = [v for k, v in tables.items() if k.startswith(SCHEMA + ".")]
    return {
        "layers": tables.get("public.layers_layer", {}).get("rows", 0),
        "features": sum(v["rows"] for v in layer_tables),
        "tables": tables,
    }


def backup(output_dir: str | Path | None = None) -> Path:
    """Write a backup folder and return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(output_dir or conf.BACKUP_DIR) / stamp
    target.mkdir(parents=True, exist_ok=False)
    started = time.monotonic()
    # The fingerprint is taken in the same snapshot pg_dump exports, so they always agree.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    _tool("pg_dump"),
                    "-Fc",
                    "--snapshot",
                    snapshot,
                    "-f",
                    str(target / "database.dump"),
                ]
            )
            print_ = fingerprint(cursor)
        finally:
            cursor.execute("COMMIT")
    roots = _file_roots()
    with tarfile.open(target / "files.tar.gz", "w:gz") as tar:
        for arcname, root in roots.items():
            if root.is_dir():
                tar.add(root, arcname=arcname)
    manifest = {
        "format": FORMAT_VERSION,
        "created": stamp,
        "database": settings.DATABASES["default"]["NAME"],
        "files": {name: str(root) for name, root in roots.items()},
        "seconds": round(time.monotonic() - started, 1),
        "fingerprint": print_,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return target


def _database_has_data(cursor) -> bool:
    """Any table that is not part of an extension (PostGIS's spatial_ref_sys does not count)."""
    cursor.execute(
        """
        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname <> ALL(%s) AND n.nspname NOT LIKE 'pg_temp%%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
        """,
        [SYSTEM_SCHEMAS],
    )
    return cursor.fetchone()[0] > 0


def _has_files(root: Path) -> bool:
    return root.is_dir() and any(root.iterdir())


def _wipe_database(cursor) -> None:
    cursor.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname <> ALL(%s) AND nspname NOT LIKE 'pg_%%'",
        [SYSTEM_SCHEMAS],
    )
    for (schema,) in cursor.fetchall():
        cursor.execute(f"DROP SCHEMA {quote(schema)} CASCADE")
    cursor.execute("CREATE SCHEMA public")


def _ensure_reader_role(cursor) -> bool:
    """The read-only role the dump grants to (roles live in the cluster, not the dump)."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [READER_ROLE])
    if cursor.fetchone():
        return True
    try:
        cursor.execute(f"CREATE ROLE {quote(READER_ROLE)} NOLOGIN")
        return True
    except DatabaseError:  # no CREATEROLE privilege: restore without grants
        return False


def restore(source: str | Path, *, force: bool = False) -> dict:
    """Load a backup folder into the configured database and file folders; return the
    restored fingerprint (equal to the manifest's, or BackupError)."""
    source = Path(source)
    manifest_path = source / "manifest.json"
    if not manifest_path.is_file() or not (source / "database.dump").is_file():
        raise BackupError(f"{source} is not a backup folder (manifest.json, database.dump)")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} in {manifest_path}")
    roots = _file_roots()
    with connection.cursor() as cursor:
        busy = _database_has_data(cursor)
    busy_dirs = [str(root) for root in roots.values() if _has_files(root)]
    if (busy or busy_dirs) and not force:
        what = (["database " + settings.DATABASES["default"]["NAME"]] if busy else []) + busy_dirs
        raise BackupError(f"refusing to overwrite data in {', '.join(what)}: use --force")
    with connection.cursor() as cursor:
        if busy:
            _wipe_database(cursor)
        grants = _ensure_reader_role(cursor)
    args = [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction"]
    if not grants:
        args.append("--no-privileges")
    _run([*args, "-d", settings.DATABASES["default"]["NAME"], str(source / "database.dump")])
    _restore_files(source / "files.tar.gz", roots)
    with connection.cursor() as cursor:
        restored = fingerprint(cursor)
    if restored != manifest["fingerprint"]:
        differ = sorted(
            k
            for k in set(restored["tables"]) | set(manifest["fingerprint"]["tables"])
            if restored["tables"].get(k) != manifest["fingerprint"]["tables"].get(k)
        )
        raise BackupError(f"restored data differs from the backup in {', '.join(differ[:5])}")
    return restored


def _restore_files(archive: Path, roots: dict[str, Path]) -> None:
    if not archive.is_file():
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for root in roots.values():
        if _has_files(root):  # force: keep what was there beside, never delete it
            root.rename(root.with_name(f"{root.name}.before-restore-{stamp}"))
        root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            top, _, rest = member.name.partition("/")
            if top not in roots or not rest:
                continue
            member.name = rest
            tar.extract(member, roots[top], filter="data")  # no absolute paths, no ../, no devices
