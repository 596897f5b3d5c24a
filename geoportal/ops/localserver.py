"""Local server processes on loopback, as the tests and benchmarks run them: a free port, the
wait until a process listens on it, a clean stop, and the portal itself under gunicorn.

Nothing here is used by the portal at run time; it owns the one way the test fixtures and the
bench scripts start and stop a server of their own, so a fix to it (a wait that gives up, a
stop that does not hang) reaches every one of them. ``start_nginx`` runs Debian's nginx with
the project's own deploy/nginx/geoportal.conf, rendered as the nginx image renders it (its
${GEOPORTAL_...} variables) with the container paths swapped for a work folder.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = [
    "free_port",
    "gunicorn",
    "render_nginx",
    "start_gunicorn",
    "start_nginx",
    "stop",
    "wait_listening",
]

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on at the moment of asking."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_listening(
    port: int, proc: subprocess.Popen, timeout: float = 60, name: str | None = None
) -> None:
    """Return once ``port`` on loopback accepts connections.

    Raises RuntimeError naming the process (``name``, else its program) when it exits first or
    does not listen within ``timeout`` seconds; in the latter case it is stopped first, so a
    failed start leaves nothing running."""
    name = name or Path(str(proc.args[0] if isinstance(proc.args, list) else proc.args)).name
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                stop(proc)
                raise RuntimeError(
                    f"{name} did not listen on {port} within {timeout:g} s"
                ) from None
            time.sleep(0.2)


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate ``proc`` and wait for it; kill it when it is still there after ``timeout`` s."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_gunicorn(
    env: Mapping[str, str] | None,
    *,
    workers: int,
    threads: int,
    timeout: int,
    app: str = "geoportal.wsgi:application",
    log_level: str = "warning",
    extra_args: Sequence[str] = (),
    stderr: IO | None = None,
) -> tuple[str, subprocess.Popen]:
    """Start the portal under gunicorn on a free loopback port, from the project root, with
    ``env`` (None: this process's environment); return its base URL and master process once it
    listens. ``timeout`` is gunicorn's worker timeout; ``stderr`` takes its log."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", app, "-b", f"{HOST}:{port}",
            "-w", str(workers), "--threads", str(threads), "--timeout", str(timeout),
            "--log-level", log_level, *extra_args,
        ],
        cwd=ROOT,
        env=None if env is None else dict(env),
        stderr=stderr,
    )  # fmt: skip
    wait_listening(port, proc, name="gunicorn")
    return f"http://{HOST}:{port}", proc


@contextmanager
def gunicorn(env: Mapping[str, str] | None, **options) -> Iterator[str]:
    """``start_gunicorn(env, **options)`` for the length of a ``with`` block: yields the base
    URL and stops the server after."""
    url, proc = start_gunicorn(env, **options)
    try:
        yield url
    finally:
        stop(proc)


NGINX_DIR = ROOT / "deploy" / "nginx"


def render_nginx(
    workdir: Path,
    *,
    upstream: str,
    cache_dir: Path,
    static_dir: Path,
    tls: tuple[Path, Path] | None,
    max_upload_mb: int = 200,
    media_dir: Path | None = None,
) -> dict:
    """Write ``workdir/nginx.conf`` running deploy/nginx/geoportal.conf on loopback; return the
    ports: ``http`` (the redirecting server) and ``main`` (HTTPS with ``tls`` = (certificate,
    key), else the same server on plain HTTP, as the tile benchmark uses it)."""
    ports = {"http": free_port(), "main": free_port()}
    for sub in ("tmp", "snippets", "acme", "static"):
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    variables = {
        "GEOPORTAL_SERVER_NAME": "_",
        "GEOPORTAL_RESOLVER": "127.0.0.1",
        "GEOPORTAL_UPSTREAM": upstream.removeprefix("http://"),
        "GEOPORTAL_MAX_UPLOAD_MB": str(max_upload_mb),
        "GEOPORTAL_TLS_CERT": str(tls[0]) if tls else "",
        "GEOPORTAL_TLS_KEY": str(tls[1]) if tls else "",
    }
    swaps = {
        "listen 80;": f"listen {HOST}:{ports['http']};",
        "listen 443 ssl http2;": f"listen {HOST}:{ports['main']}" + (" ssl http2;" if tls else ";"),
        "/var/cache/geoportal/tiles": str(cache_dir),
        "/var/lib/geoportal/static": str(static_dir),
        "/var/lib/geoportal/media": str(media_dir or workdir / "media"),
        "/etc/nginx/snippets": str(workdir / "snippets"),
        "/var/log/nginx/access.log": str(workdir / "access.log"),
        "/var/www/acme": str(workdir / "acme"),
    }
    conf = (NGINX_DIR / "geoportal.conf").read_text()
    for old, new in swaps.items():
        if old not in conf:
            raise RuntimeError(f"deploy/nginx/geoportal.conf no longer has {old!r}")
        conf = conf.replace(old, new)
    if not tls:
        conf = re.sub(r"^\s*ssl_\w+ .*;\n", "", conf, flags=re.M)
    conf = re.sub(r"\$\{(GEOPORTAL_\w+)\}", lambda m: variables[m[1]], conf)
    (workdir / "geoportal.conf").write_text(conf)
    for snippet in (NGINX_DIR / "snippets").glob("*.conf"):
        text = snippet.read_text()
        if not tls:
            text = text.replace("X-Forwarded-Proto https;", "X-Forwarded-Proto $scheme;")
        (workdir / "snippets" / snippet.name).write_text(text)
    user = "user root;\n" if os.geteuid() == 0 else ""
    tmp = workdir / "tmp"
    (workdir / "nginx.conf").write_text(
        f"{user}worker_processes 2;\npid {workdir}/nginx.pid;\n"
        f"error_log {workdir}/error.log warn;\nevents {{ worker_connections 1024; }}\n"
        "http {\n  include /etc/nginx/mime.types;\n  sendfile on;\n"
        "  keepalive_requests 100000;\n"
        f"  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n"
        f"  fastcgi_temp_path {tmp}/fcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n"
        f"  scgi_temp_path {tmp}/scgi;\n  include {workdir}/geoportal.conf;\n}}\n"
    )
    return ports


def start_nginx(workdir: Path, **options) -> tuple[dict, subprocess.Popen]:
    """``render_nginx(workdir, **options)`` and start nginx on it; return the ports and the
    process once both servers listen (``stop`` it after)."""
    ports = render_nginx(workdir, **options)
    conf = workdir / "nginx.conf"
    proc = subprocess.Popen(["nginx", "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"])
    wait_listening(ports["main"], proc, timeout=10, name="nginx")
    wait_listening(ports["http"], proc, timeout=10, name="nginx")
    return ports, proc
