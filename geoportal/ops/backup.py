"""Backups of everything the portal cannot regenerate: the database (every schema, including
the layer tables in ``layerdata`` and their kept versions) as a ``pg_dump -Fc`` archive, and the
uploaded files (GEOPORTAL_MEDIA_ROOT) and rasters (GEOPORTAL_RASTER_DIR) as one tar.

A backup is a folder ``<BACKUP_DIR>/<UTC timestamp>/`` (0700; its files 0600) holding
``database.dump``, ``files.tar.gz`` and ``manifest.json`` (what was saved and a fingerprint of
the data: row counts of every table and an md5 of every layer table). With
GEOPORTAL_BACKUP_AGE_RECIPIENTS the dump and the archive are encrypted with age (``.age``;
the server never holds the private key, restore reads it from GEOPORTAL_BACKUP_AGE_IDENTITY).
After each backup the older folders are pruned to the newest of each of the last
GEOPORTAL_BACKUP_KEEP_DAILY days and GEOPORTAL_BACKUP_KEEP_WEEKLY ISO weeks.

``restore`` refuses a database or folder that already holds data unless ``force``; it reads the
whole files archive, restores the dump into a scratch database and compares it with the
manifest before it touches anything, then replaces the real database in one transaction that
checks the fingerprint again and rolls back on any error or mismatch. The tile cache is not
saved: it is rebuilt.

Connection parameters come from Django's settings, so the embedded cluster and DATABASE_URL
work alike; pg_dump / pg_restore are the newest found (they must not be older than the server).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from core import conf as portal_conf
from core import postgres
from layers.storage import READER_ROLE, SCHEMA, literal, qualified, quote

from . import conf

__all__ = ["BackupError", "backup", "fingerprint", "prune", "restore", "verify_in_scratch"]

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
    """Write a backup folder (0700, files 0600, encrypted when age recipients are set), prune
    the older ones (conf.KEEP_DAILY / KEEP_WEEKLY) and return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    parent = Path(output_dir or conf.BACKUP_DIR)
    parent.mkdir(parents=True, exist_ok=True)
    target = parent / stamp
    old_umask = os.umask(0o077)  # nobody but the portal's user reads a backup
    try:
        target.mkdir(mode=0o700, exist_ok=False)
        manifest = _write_backup(target, stamp)
        if conf.AGE_RECIPIENTS:
            for name in ("database.dump", "files.tar.gz"):
                _encrypt(target / name)
            manifest["encrypted"] = "age"
        (target / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    finally:
        os.umask(old_umask)
    prune(parent, keep_daily=conf.KEEP_DAILY, keep_weekly=conf.KEEP_WEEKLY)
    return target


def _write_backup(target: Path, stamp: str) -> dict:
    started = time.monotonic()
    # The fingerprint is taken in the same snapshot pg_dump exports, so they always agree.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            dump = [_tool("pg_dump"), "-Fc", "--snapshot", snapshot]
            _run([*dump, "-f", str(target / "database.dump")])
            print_ = fingerprint(cursor)
        finally:
            cursor.execute("COMMIT")
    roots = _file_roots()
    with tarfile.open(target / "files.tar.gz", "w:gz") as tar:
        for arcname, root in roots.items():
            if root.is_dir():
                tar.add(root, arcname=arcname)
    return {
        "format": FORMAT_VERSION,
        "created": stamp,
        "database": settings.DATABASES["default"]["NAME"],
        "files": {name: str(root) for name, root in roots.items()},
        "seconds": round(time.monotonic() - started, 1),
        "fingerprint": print_,
    }


def _encrypt(path: Path) -> None:
    """``path`` -> ``path.age`` for the configured recipients; the clear file is removed."""
    args = [_program("age"), "--encrypt", "-o", f"{path}.age"]
    for recipient in conf.AGE_RECIPIENTS:
        args += ["-r", recipient]
    _run([*args, str(path)])
    path.unlink()


def _decrypt(path: Path, into: Path) -> Path:
    if not conf.AGE_IDENTITY:
        raise BackupError(f"{path.name} is encrypted: set GEOPORTAL_BACKUP_AGE_IDENTITY")
    out = into / path.name.removesuffix(".age")
    _run([_program("age"), "--decrypt", "-i", conf.AGE_IDENTITY, "-o", str(out), str(path)])
    return out


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: apt-get install {name}")
    return found


STAMP = re.compile(r"^\d{8}T\d{6}Z$")


def prune(parent: Path, *, keep_daily: int, keep_weekly: int) -> list[Path]:
    """Remove backup folders of ``parent`` beyond the newest one of each of the last
    ``keep_daily`` days and of each of the last ``keep_weekly`` ISO weeks; return the removed.
    Only folders named like a backup and holding a manifest.json are ever considered."""
    folders = sorted(
        (p for p in parent.iterdir() if STAMP.match(p.name) and (p / "manifest.json").is_file()),
        reverse=True,
    )
    keep: set[Path] = set()
    for key, limit in ((lambda p: p.name[:8], keep_daily), (_iso_week, keep_weekly)):
        seen: list[str] = []
        for folder in folders:
            bucket = key(folder)
            if bucket not in seen and len(seen) < limit:
                seen.append(bucket)
                keep.add(folder)
    if folders:
        keep.add(folders[0])  # never the newest
    removed = [p for p in folders if p not in keep]
    for folder in removed:
        shutil.rmtree(folder)
    return removed


def _iso_week(folder: Path) -> str:
    year, week, _ = datetime.strptime(folder.name, "%Y%m%dT%H%M%SZ").isocalendar()
    return f"{year}-W{week:02d}"


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
    restored fingerprint.

    Nothing is touched before the backup has proven good: the archive of files is read to its
    end, and the dump is restored into a scratch database whose fingerprint must equal the
    manifest's. The real database is then replaced in ONE transaction (old contents dropped,
    dump loaded, fingerprint checked in SQL): any error or mismatch rolls all of it back."""
    source = Path(source)
    manifest = _read_manifest(source)
    roots = _file_roots()
    with connection.cursor() as cursor:
        busy = _database_has_data(cursor)
    busy_dirs = [str(root) for root in roots.values() if _has_files(root)]
    if (busy or busy_dirs) and not force:
        what = (["database " + settings.DATABASES["default"]["NAME"]] if busy else []) + busy_dirs
        raise BackupError(f"refusing to overwrite data in {', '.join(what)}: use --force")
    with tempfile.TemporaryDirectory(prefix="geoportal-restore-") as work:
        dump, files = _clear_copies(source, manifest, Path(work))
        _check_files_archive(files)
        verify_in_scratch(dump, manifest)
        with connection.cursor() as cursor:
            grants = _ensure_reader_role(cursor)
        check_sql = Path(work) / "check.sql"
        check_sql.write_text(_check_sql(manifest["fingerprint"]))
        _replace_database(dump, check_sql, grants)
        _restore_files(files, roots)
    connection.close()  # the schemas were recreated: no cached plans or types of the old ones
    with connection.cursor() as cursor:
        return fingerprint(cursor)


def _read_manifest(source: Path) -> dict:
    manifest_path = source / "manifest.json"
    dumps = [source / "database.dump", source / "database.dump.age"]
    if not manifest_path.is_file() or not any(p.is_file() for p in dumps):
        raise BackupError(f"{source} is not a backup folder (manifest.json, database.dump)")
    try:
        manifest = json.loads(manifest_path.read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{manifest_path} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format in {manifest_path}")
    if not isinstance(manifest.get("fingerprint", {}).get("tables"), dict):
        raise BackupError(f"{manifest_path} has no fingerprint of the data")
    return manifest


def _clear_copies(source: Path, manifest: dict, work: Path) -> tuple[Path, Path | None]:
    """The dump and the files' archive, decrypted into ``work`` when the backup is encrypted."""
    if manifest.get("encrypted") == "age":
        files = source / "files.tar.gz.age"
        return (
            _decrypt(source / "database.dump.age", work),
            _decrypt(files, work) if files.is_file() else None,
        )
    files = source / "files.tar.gz"
    return source / "database.dump", files if files.is_file() else None


def _check_files_archive(archive: Path | None) -> None:
    if archive is None:
        return
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for _member in tar:  # reads the whole stream: a truncated archive fails here
                pass
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive.name} is damaged ({exc}): nothing was restored") from exc


def _pg_restore_args(grants: bool) -> list[str]:
    args = [_tool("pg_restore"), "--no-owner", "--exit-on-error"]
    return args if grants else [*args, "--no-privileges"]


def verify_in_scratch(dump: Path, manifest: dict) -> None:
    """Restore ``dump`` into a throwaway database of the same server and compare it with the
    manifest; the scratch database is dropped whatever happens."""
    import psycopg

    scratch = f"geoportal_restore_check_{os.getpid()}_{int(time.time())}"
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"CREATE DATABASE {quote(scratch)}")
        except DatabaseError as exc:
            raise BackupError(f"cannot create a scratch database to check the dump: {exc}") from exc
        grants = _ensure_reader_role(cursor)
    try:
        try:
            _run([*_pg_restore_args(grants), "--single-transaction", "-d", scratch, str(dump)])
        except BackupError as exc:
            raise BackupError(f"the dump does not restore ({exc}): nothing was touched") from exc
        env = _libpq_env()
        kw = {"host": env.get("PGHOST"), "port": env.get("PGPORT"), "user": env.get("PGUSER")}
        with psycopg.connect(dbname=scratch, password=env.get("PGPASSWORD"), **kw) as conn:
            with conn.cursor() as cursor:
                restored = fingerprint(cursor)
        differ = _differences(restored, manifest["fingerprint"])
        if differ:
            raise BackupError(
                f"restored data differs from the backup in {', '.join(differ[:5])}: "
                "nothing was touched"
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(scratch)} WITH (FORCE)")


def _differences(restored: dict, expected: dict) -> list[str]:
    tables = set(restored["tables"]) | set(expected["tables"])
    return sorted(k for k in tables if restored["tables"].get(k) != expected["tables"].get(k))


def _check_sql(expected: dict) -> str:
    """A DO block that raises (so the restore's transaction rolls back) unless the database
    holds exactly the tables of the manifest, with their row counts and layer md5s."""
    lines = ["DO $check$", "DECLARE n bigint; d text;", "BEGIN"]
    for name, want in sorted(expected["tables"].items()):
        schema, _, table = name.partition(".")
        where = literal(f"restored data differs from the backup in {name}")
        lines.append(f"  SELECT count(*) INTO n FROM {qualified(table, schema)};")
        lines.append(f"  IF n <> {int(want['rows'])} THEN RAISE EXCEPTION {where}; END IF;")
        if want.get("md5"):
            lines.append(
                "  SELECT md5(coalesce(string_agg(md5(t::text), '' ORDER BY fid), '')) INTO d "
                f"FROM {qualified(table, schema)} t;"
            )
            lines.append(f"  IF d <> {literal(want['md5'])} THEN RAISE EXCEPTION {where}; END IF;")
    system = ", ".join(literal(s) for s in SYSTEM_SCHEMAS)
    lines.append(
        "  SELECT count(*) INTO n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p') AND s.nspname NOT IN ({system}) "
        "AND s.nspname NOT LIKE 'pg_temp%';"
    )
    count = len(expected["tables"])
    extra = literal("restored data differs from the backup in its list of tables")
    lines.append(f"  IF n <> {count} THEN RAISE EXCEPTION {extra}; END IF;")
    lines += ["END", "$check$;", ""]
    return "\n".join(lines)


WIPE_SQL = """
DO $wipe$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
             AND nspname NOT LIKE 'pg\\_%'
  LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
  CREATE SCHEMA public;
END
$wipe$;
"""


def _replace_database(dump: Path, check_sql: Path, grants: bool) -> None:
    """Old contents out, the dump in, the check: one psql transaction (ON_ERROR_STOP)."""
    connection.close()  # our own session must not hold locks on what is dropped
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as wipe:
        wipe.write(WIPE_SQL)
    try:
        script = subprocess.Popen(
            [*_pg_restore_args(grants), "-f", "-", str(dump)],
            env=_libpq_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        psql = [_tool("psql"), "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1"]
        psql += ["-f", wipe.name, "-f", "-", "-f", str(check_sql)]
        res = subprocess.run(
            psql, env=_libpq_env(), stdin=script.stdout, capture_output=True, text=True
        )
        script.stdout.close()
        script_err = script.stderr.read().decode(errors="replace")
        script.wait()
    finally:
        os.unlink(wipe.name)
    if script.returncode != 0:
        raise BackupError(f"pg_restore failed: {postgres.last_line(script_err)}; rolled back")
    if res.returncode != 0:
        raise BackupError(f"{_error_line(res.stderr or res.stdout)}; the database was rolled back")


def _error_line(text: str) -> str:
    """What psql said went wrong: the text of its first ERROR line, else its last line."""
    for line in (text or "").splitlines():
        if "ERROR:" in line:
            return line.split("ERROR:", 1)[1].strip()
    return postgres.last_line(text)


def _restore_files(archive: Path | None, roots: dict[str, Path]) -> None:
    if archive is None or not archive.is_file():
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
