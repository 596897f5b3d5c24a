"""PostgreSQL's programs on this machine (initdb, pg_ctl, pg_dump, pg_restore, psql) and their
error output read as one line, for the embedded cluster (devtools.pgcluster) and backups
(geoportal.ops.backup)."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

__all__ = ["PostgresNotFound", "last_line", "server_bindir", "tool"]


class PostgresNotFound(RuntimeError):
    """PostgreSQL's programs are not installed; the message says how to install them."""


def server_bindir() -> Path:
    """The folder of the PostgreSQL server programs (GEOPORTAL_PG_BINDIR, Debian's newest
    /usr/lib/postgresql/*/bin, or where initdb is on PATH)."""
    override = os.environ.get("GEOPORTAL_PG_BINDIR")
    candidates = [override] if override else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    raise PostgresNotFound(
        "PostgreSQL server binaries not found: install them (Debian: apt-get install "
        "postgresql-15 postgresql-15-postgis-3) or set GEOPORTAL_PG_BINDIR or DATABASE_URL"
    )


def tool(name: str) -> str:
    """The path of client program ``name``: the server's own version first, then PATH."""
    try:
        candidate = server_bindir() / name
        if candidate.exists():
            return str(candidate)
    except PostgresNotFound:
        pass
    found = shutil.which(name)
    if not found:
        raise PostgresNotFound(
            f"{name} not found: install the PostgreSQL client (postgresql-client)"
        )
    return found


def last_line(text: str) -> str:
    """The last non-blank line of a program's output: where PostgreSQL's tools say why."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return lines[-1] if lines else "no output"
