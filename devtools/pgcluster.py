"""The embedded PostGIS cluster: the portal's own PostgreSQL server inside the project folder.

With no DATABASE_URL set, the portal keeps its database in ``.pg/`` (git-ignored): ``.pg/data``
is the cluster, ``.pg/run`` holds its unix socket (no TCP port unless GEOPORTAL_PG_PORT is set,
so two checkouts never collide), ``.pg/log`` its log. PostgreSQL refuses to run as root, so when
we are root the server runs as an unprivileged user (``postgres`` if the system has it, else a
``geoportal`` system user made here); as an ordinary user it simply runs as that user.

Used from the Makefile and manage.py as ``python -m devtools.pgcluster start|stop|status|url``.
Nothing here ever deletes a data directory: a broken cluster gets a clear message instead.

Access: the socket directory is reachable by the server's user only (0700, socket 0700); every
TCP connection (GEOPORTAL_PG_PORT) must give a password (scram-sha-256). The superuser's
password is made at first start into ``.pg/superuser-password`` (0600); the portal itself uses
the socket. A cluster made before with ``trust`` for TCP gets the new pg_hba.conf on start
(the old one is kept beside it); its data are never touched. The server's own log goes
through PostgreSQL's logging collector to ``.pg/log/postgresql-<weekday>.log``: a week of
files, each truncated when its day comes round again, and rotated at 50 MB.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
import time
from pathlib import Path

from core import postgres

__all__ = ["Cluster", "ClusterError", "default_cluster", "main"]

PROJECT_DIR = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("GEOPORTAL_PG_DBNAME", "geoportal")
SUPERUSER = "postgres"
SOCKET_PORT = 5432  # only names the socket file when no TCP port is asked for

SERVER_SETTINGS = {
    "listen_addresses": "''",
    "shared_buffers": "256MB",
    "work_mem": "32MB",
    "maintenance_work_mem": "512MB",
    "max_connections": "200",
    "max_wal_size": "2GB",
    "jit": "off",  # JIT costs more than it saves on tile-sized queries
    "logging_collector": "on",
    "log_filename": "'postgresql-%a.log'",
    "log_truncate_on_rotation": "on",
    "log_rotation_age": "1d",
    "log_rotation_size": "50MB",
    "password_encryption": "scram-sha-256",
    "unix_socket_permissions": "0700",
}
# Socket: the server's own user only (the directory is 0700). TCP: a password, always.
HBA = """# Written by devtools/pgcluster.py; a changed file is rewritten on start (old one kept).
local   all   all                    trust
local   replication   all            trust
host    all   all   127.0.0.1/32     scram-sha-256
host    all   all   ::1/128          scram-sha-256
host    all   all   0.0.0.0/0        reject
"""


class ClusterError(RuntimeError):
    """A problem the user can fix; the message is one line saying how."""


def _find_bindir() -> Path:
    try:
        return postgres.server_bindir()
    except postgres.PostgresNotFound as exc:
        raise ClusterError(str(exc)) from exc


class Cluster:
    """A PostgreSQL cluster under ``base`` run by ``run_as`` (None: the current user)."""

    def __init__(self, base: Path, port: int | None = None):
        self.base = Path(base)
        self.data = self.base / "data"
        self.run = self.base / "run"
        self.logfile = self.base / "log" / "postgresql.log"  # start-up only, then the collector
        self.password_file = self.base / "superuser-password"
        self.port = port
        self.run_as = self._pick_user()

    # -- who runs the server -------------------------------------------------------------
    @staticmethod
    def _pick_user() -> str | None:
        if os.geteuid() != 0:
            return None
        name = os.environ.get("GEOPORTAL_PG_USER")
        for candidate in [name, "postgres", "geoportal"]:
            if not candidate:
                continue
            try:
                pwd.getpwnam(candidate)
                return candidate
            except KeyError:
                continue
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                "geoportal",
            ],
            check=True,
        )
        return "geoportal"

    def _cmd(self, args: list[str]) -> list[str]:
        if self.run_as:
            return ["runuser", "-u", self.run_as, "--", *args]
        return args

    def _run(self, args: list[str], **kw) -> subprocess.CompletedProcess:
        return subprocess.run(self._cmd(args), capture_output=True, text=True, **kw)

    # -- state -----------------------------------------------------------------------------
    @property
    def socket_port(self) -> int:
        return self.port or SOCKET_PORT

    def is_initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def is_running(self) -> bool:
        if not self.is_initialised():
            return False
        bindir = _find_bindir()
        res = self._run([str(bindir / "pg_ctl"), "-D", str(self.data), "status"])
        return res.returncode == 0

    def dsn(self, dbname: str = DB_NAME) -> dict:
        return {
            "host": str(self.run),
            "port": self.socket_port,
            "user": SUPERUSER,
            "dbname": dbname,
        }

    def url(self) -> str:
        from urllib.parse import quote

        return (
            f"postgresql://{SUPERUSER}@{quote(str(self.run), safe='')}:{self.socket_port}/{DB_NAME}"
        )

    # -- lifecycle -------------------------------------------------------------------------
    def _prepare_dirs(self) -> None:
        for d in (self.base, self.run, self.logfile.parent):
            d.mkdir(parents=True, exist_ok=True)
        if self.run_as:
            pw = pwd.getpwnam(self.run_as)
            for d in (self.base, self.run, self.logfile.parent):
                os.chown(d, pw.pw_uid, pw.pw_gid)
        self.run.chmod(0o700)
        self.logfile.parent.chmod(0o700)
        if self.run_as:
            if self.data.exists():
                st = self.data.stat()
                if st.st_uid != pw.pw_uid:
                    raise ClusterError(
                        f"{self.data} belongs to uid {st.st_uid}, not to {self.run_as}: "
                        f"run as that user or `chown -R {self.run_as} {self.base}`"
                    )
            probe = self._run(["test", "-w", str(self.base)])
            if probe.returncode != 0:
                raise ClusterError(
                    f"user {self.run_as} cannot reach {self.base}: make its parent folders "
                    "traversable (chmod o+x) or set DATABASE_URL to another server"
                )

    def init(self) -> bool:
        """Create the cluster if it does not exist. Returns True when it was created."""
        if self.is_initialised():
            return False
        if self.data.exists() and any(self.data.iterdir()):
            raise ClusterError(
                f"{self.data} exists but is not a PostgreSQL cluster: move it away yourself "
                "(it is never deleted automatically)"
            )
        self._prepare_dirs()
        bindir = _find_bindir()
        res = self._run(
            [
                str(bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        if res.returncode != 0:
            raise ClusterError(f"initdb failed: {postgres.last_line(res.stderr or res.stdout)}")
        return True

    def _server_options(self) -> str:
        opts = dict(SERVER_SETTINGS)
        opts["unix_socket_directories"] = f"'{self.run}'"
        opts["log_directory"] = f"'{self.logfile.parent}'"
        opts["port"] = str(self.socket_port)
        if self.port:
            opts["listen_addresses"] = "'127.0.0.1'"
        return " ".join(f"-c {k}={v}" for k, v in opts.items())

    def _clear_stale_pid(self) -> None:
        """Remove postmaster.pid left by a crashed server whose process is gone."""
        pidfile = self.data / "postmaster.pid"
        if not pidfile.exists():
            return
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except (ValueError, IndexError, OSError):
            pid = None
        alive = False
        if pid:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                alive = b"postgres" in cmdline
            except OSError:
                alive = False
        if not alive:
            pidfile.unlink()
            print(f"removed stale {pidfile} (server process {pid} is gone)", file=sys.stderr)

    # -- access ----------------------------------------------------------------------------
    def write_hba(self) -> bool:
        """Make pg_hba.conf ours (scram-sha-256 on TCP); keep a different old file beside it.
        Returns True when the file changed (a running server must then reload)."""
        hba = self.data / "pg_hba.conf"
        old = hba.read_text() if hba.exists() else ""
        if old == HBA:
            return False
        if old:
            stamp = time.strftime("%Y%m%dT%H%M%S")
            self._run(["cp", "-p", str(hba), str(self.data / f"pg_hba.conf.before-{stamp}")])
        res = self._run(["sh", "-c", f"umask 077 && cat > '{hba}'"], input=HBA)
        if res.returncode != 0:
            raise ClusterError(f"cannot write {hba}: {postgres.last_line(res.stderr)}")
        return True

    def superuser_password(self) -> str:
        """The superuser's password for TCP clients, made once (0600 file beside the data)."""
        if not self.password_file.exists():
            import secrets

            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(24) + "\n")
        return self.password_file.read_text().strip()

    def _set_superuser_password(self) -> None:
        import psycopg

        with psycopg.connect(**self.dsn("postgres"), autocommit=True, connect_timeout=10) as conn:
            password = self.superuser_password()
            conn.execute(f"ALTER ROLE {SUPERUSER} PASSWORD {_literal(password)}")

    def start(self) -> None:
        self.init()
        self._prepare_dirs()
        changed = self.write_hba()
        if self.is_running():
            if changed:
                self._run([str(_find_bindir() / "pg_ctl"), "-D", str(self.data), "reload"])
            return
        self._clear_stale_pid()
        if self.port and _tcp_port_busy(self.port):
            raise ClusterError(
                f"TCP port {self.port} is in use by another program: set GEOPORTAL_PG_PORT "
                "to a free port or unset it (the socket in .pg/run needs no port)"
            )
        bindir = _find_bindir()
        res = self._run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.logfile),
                "-o",
                self._server_options(),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        if res.returncode != 0:
            raise ClusterError(
                f"PostgreSQL did not start: {postgres.last_line(_tail(self.logfile) or res.stderr)} "
                f"(full log: {self.logfile})"
            )
        if not self.is_standby():  # a replica has the primary's roles, and is read-only
            self._set_superuser_password()

    def is_standby(self) -> bool:
        return (self.data / "standby.signal").exists()

    def make_replica_of(self, primary: Cluster) -> None:
        """Make this (new) cluster a streaming replica of the running ``primary``: a base backup
        over the primary's socket with ``-R`` (standby.signal and primary_conninfo written),
        WAL streamed during the copy. Start it with ``start()``."""
        if self.is_initialised():
            raise ClusterError(f"{self.data} is a cluster already: a replica needs an empty place")
        self._prepare_dirs()
        res = self._run(
            [
                str(_find_bindir() / "pg_basebackup"), "-D", str(self.data), "-R", "-X", "stream",
                "-c", "fast", "-h", str(primary.run), "-p", str(primary.socket_port),
                "-U", SUPERUSER,
            ]
        )  # fmt: skip
        if res.returncode != 0:
            raise ClusterError(f"pg_basebackup failed: {postgres.last_line(res.stderr)}")
        self.password_file.write_text(primary.superuser_password() + "\n")
        self.password_file.chmod(0o600)

    def stop(self) -> bool:
        if not self.is_running():
            return False
        bindir = _find_bindir()
        res = self._run([str(bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])
        if res.returncode != 0:
            raise ClusterError(f"pg_ctl stop failed: {postgres.last_line(res.stderr)}")
        return True

    def ensure_database(self, dbname: str = DB_NAME) -> None:
        """Create the portal's database with PostGIS, once."""
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                conn = psycopg.connect(**self.dsn("postgres"), autocommit=True, connect_timeout=5)
                break
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise ClusterError(f"cannot connect to the embedded server: {exc}") from exc
                time.sleep(0.3)
        with conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [dbname]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{dbname}"')
        with psycopg.connect(**self.dsn(dbname), autocommit=True) as conn:
            try:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except psycopg.errors.FeatureNotSupported as exc:
                raise ClusterError(
                    "PostGIS is not installed for this PostgreSQL: apt-get install "
                    "postgresql-15-postgis-3"
                ) from exc
            except psycopg.errors.UndefinedFile as exc:
                raise ClusterError(
                    "PostGIS is not installed for this PostgreSQL: apt-get install "
                    "postgresql-15-postgis-3"
                ) from exc


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _tcp_port_busy(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, n: int = 5) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def default_cluster() -> Cluster:
    base = Path(os.environ.get("GEOPORTAL_PG_DIR", PROJECT_DIR / ".pg"))
    port = os.environ.get("GEOPORTAL_PG_PORT")
    return Cluster(base, int(port) if port else None)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    action = argv[0] if argv else "status"
    if os.environ.get("DATABASE_URL") and action in ("start", "ensure"):
        print("DATABASE_URL is set: using that server, the embedded cluster is not started")
        return 0
    cluster = default_cluster()
    try:
        if action in ("start", "ensure"):
            created = cluster.init()
            cluster.start()
            cluster.ensure_database()
            where = cluster.run if not cluster.port else f"127.0.0.1:{cluster.port}"
            print(
                f"PostGIS {'created and ' if created else ''}running at {where} (database {DB_NAME})"
            )
        elif action == "stop":
            print("stopped" if cluster.stop() else "not running")
        elif action == "status":
            print("running" if cluster.is_running() else "not running")
            return 0 if cluster.is_running() else 3
        elif action == "url":
            print(cluster.url())
        else:
            print(f"unknown action {action!r}: use start, stop, status or url", file=sys.stderr)
            return 2
    except ClusterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
