"""Local server processes on loopback, as the tests and benchmarks run them: a free port, the
wait until a process listens on it, a clean stop, and the portal itself under gunicorn.

Nothing here is used by the portal at run time; it owns the one way the test fixtures and the
bench scripts start and stop a server of their own, so a fix to it (a wait that gives up, a
stop that does not hang) reaches every one of them.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["free_port", "gunicorn", "start_gunicorn", "stop", "wait_listening"]

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
