"""Load run: a gunicorn on loopback over the configured database (the demo hromada by
default), locust headless with bench/locustfile.py for GEOPORTAL_LOAD_SECONDS (default 600),
then one table per request kind: requests, throughput, p50 / p95 / p99, errors, and the
check that no report was lost (rows added to reports_report = submissions answered 2xx).

    .venv/bin/python bench/load.py            # or: make load
    GEOPORTAL_LOAD_SECONDS=30 GEOPORTAL_LOAD_USERS=20 make load

Exit status 1 when any request failed (5xx, connection errors, unexpected 4xx) or the error
rate exceeds GEOPORTAL_LOAD_MAX_ERRORS (default 0 %).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import print_table  # noqa: E402
from geoportal.ops.localserver import start_gunicorn, stop  # noqa: E402

SECONDS = int(os.environ.get("GEOPORTAL_LOAD_SECONDS", "600"))
USERS = int(os.environ.get("GEOPORTAL_LOAD_USERS", "50"))
WORKERS = int(os.environ.get("GEOPORTAL_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
MAX_ERRORS = float(os.environ.get("GEOPORTAL_LOAD_MAX_ERRORS", "0"))


def start_server(env: dict, log: Path) -> tuple[str, subprocess.Popen]:
    """The measured gunicorn, its log in ``log``; a failed start ends the run with one line."""
    try:
        return start_gunicorn(
            env, workers=WORKERS, threads=4, timeout=120, stderr=log.open("w"),
            # longer than the clients' 2 s think time: otherwise the server closes an idle
            # keep-alive connection just as the client reuses it (RemoteDisconnected)
            extra_args=("--keep-alive", "10"),
        )  # fmt: skip
    except RuntimeError as e:
        raise SystemExit(str(e)) from None


def run(env: dict | None = None) -> dict:
    env = dict(env or os.environ)
    env.setdefault("GEOPORTAL_ACCESS_LOG_LEVEL", "WARNING")
    env.setdefault("GEOPORTAL_LOG_LEVEL", "ERROR")
    # one loopback address stands for thousands of residents: lift the per-IP report guard
    env.setdefault("GEOPORTAL_REPORTS_IP_BURST", "1000000")
    env.setdefault("GEOPORTAL_REPORTS_IP_PER_MINUTE", "1000000")
    out = Path(tempfile.mkdtemp(prefix="geoportal-load-"))
    host, server = start_server(env, out / "gunicorn.log")
    counts_file = out / "counts.json"
    reports_before = count_reports(env)
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
        stop(server)
    with open(out / "load_stats.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    if reports_before is not None:
        counts["reports_in_database"] = count_reports(env) - reports_before
    return {"rows": rows, "seconds": round(elapsed), "counts": counts, "dir": str(out)}


def count_reports(env: dict) -> int | None:
    """Rows in reports_report of the server's database (None when there is no such table)."""
    code = (
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute(\"SELECT to_regclass('reports_report') IS NOT NULL\")\n"
        "    if c.fetchone()[0]:\n"
        "        c.execute('SELECT count(*) FROM reports_report'); print(c.fetchone()[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "geoportal.settings"},
        capture_output=True,
        text=True,
    )
    lines = done.stdout.split()
    return int(lines[-1]) if done.returncode == 0 and lines else None


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
        f"reports accepted (2xx): {counts.get('reports', 0)}; rate-limited (429): "
        f"{counts.get('reports_rate_limited', 0)}; endpoint missing (404): "
        f"{counts.get('report_endpoint_missing', 0)}"
    )
    lost = False
    if "reports_in_database" in counts:
        lost = counts["reports_in_database"] != counts.get("reports", 0)
        print(
            f"reports added to the database: {counts['reports_in_database']} "
            f"({'LOST OR EXTRA REPORTS' if lost else 'none lost'})"
        )
    print(f"server and locust logs: {result['dir']}")
    total = next((r for r in result["rows"] if r["Name"] == "Aggregated"), None)
    if total is None or int(total["Request Count"]) == 0:
        print("no requests were made")
        return 1
    rate = 100 * int(total["Failure Count"]) / int(total["Request Count"])
    return 1 if rate > MAX_ERRORS or lost else 0


if __name__ == "__main__":
    sys.exit(report(run()))
