"""Load run: a gunicorn on loopback over the configured database (the demo hromada by
default), locust headless with bench/locustfile.py for GEOPORTAL_LOAD_SECONDS (default 600),
then one table per request kind: requests, throughput, p50 / p95 / p99, errors.

    .venv/bin/python bench/load.py            # or: make load
    GEOPORTAL_LOAD_SECONDS=30 GEOPORTAL_LOAD_USERS=20 make load

Exit status 1 when any request failed (5xx, connection errors, unexpected 4xx) or the error
rate exceeds GEOPORTAL_LOAD_MAX_ERRORS (default 0 %).
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import print_table  # noqa: E402

SECONDS = int(os.environ.get("GEOPORTAL_LOAD_SECONDS", "600"))
USERS = int(os.environ.get("GEOPORTAL_LOAD_USERS", "50"))
WORKERS = int(os.environ.get("GEOPORTAL_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
MAX_ERRORS = float(os.environ.get("GEOPORTAL_LOAD_MAX_ERRORS", "0"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, log: Path) -> tuple[str, subprocess.Popen]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "geoportal.wsgi", "-b", f"127.0.0.1:{port}",
            "-w", str(WORKERS), "--threads", "4", "--timeout", "120", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=log.open("w"),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return f"http://127.0.0.1:{port}", proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)


def run(env: dict | None = None) -> dict:
    env = dict(env or os.environ)
    env.setdefault("GEOPORTAL_ACCESS_LOG_LEVEL", "WARNING")
    env.setdefault("GEOPORTAL_LOG_LEVEL", "ERROR")
    out = Path(tempfile.mkdtemp(prefix="geoportal-load-"))
    host, server = start_gunicorn(env, out / "gunicorn.log")
    counts_file = out / "counts.json"
    try:
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "--host", host, "-u", str(USERS),
                "-r", str(max(1, USERS // 5)), "--run-time", f"{SECONDS}s",
                "--csv", str(out / "load"), "--only-summary", "--loglevel", "WARNING",
                "--stop-timeout", "10",
            ],
            cwd=ROOT,
            env={**env, "LOAD_COUNTS_FILE": str(counts_file)},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=(out / "locust.log").open("w"),
        )  # fmt: skip
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    with open(out / "load_stats.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    return {"rows": rows, "seconds": round(elapsed), "counts": counts, "dir": str(out)}


def report(result: dict) -> int:
    table = []
    for row in result["rows"]:
        requests_ = int(row["Request Count"])
        failures = int(row["Failure Count"])
        table.append(
            [
                row["Name"] if row["Name"] != "Aggregated" else "ALL",
                requests_,
                float(row["Requests/s"]),
                float(row["50%"]),
                float(row["95%"]),
                float(row["99%"]),
                failures,
                f"{100 * failures / requests_:.2f} %" if requests_ else "-",
            ]
        )
    print_table(
        f"Load: {USERS} users, {result['seconds']} s, {WORKERS} gunicorn workers x 4 threads "
        f"({os.cpu_count()} CPUs), loopback",
        ["request", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "error rate"],
        table,
    )
    counts = result["counts"]
    print(
        f"reports accepted: {counts.get('reports', 0)}; report endpoint answered 404 "
        f"(not available) {counts.get('report_endpoint_missing', 0)} times"
    )
    print(f"server and locust logs: {result['dir']}")
    total = next((r for r in result["rows"] if r["Name"] == "Aggregated"), None)
    if total is None or int(total["Request Count"]) == 0:
        print("no requests were made")
        return 1
    rate = 100 * int(total["Failure Count"]) / int(total["Request Count"])
    return 1 if rate > MAX_ERRORS else 0


if __name__ == "__main__":
    sys.exit(report(run()))
