"""Helpers of the operations tests: a gunicorn started with an environment of the test's
choosing (e.g. a DATABASE_URL nobody listens on)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from tests.conftest import ROOT, _free_port


@contextmanager
def gunicorn(env: dict, workers: int = 1):
    """Run ``geoportal.wsgi`` under gunicorn on a free loopback port; yield its base URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "geoportal.wsgi", "-b", f"127.0.0.1:{port}",
            "-w", str(workers), "--timeout", "60", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start within 60 s") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
