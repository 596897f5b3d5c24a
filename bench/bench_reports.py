"""Report intake and reading with 50,000 reports already in the database: POST /api/v1/reports
(a pin, JSON), the "already reported?" nearby check, the public GeoJSON list in a 1.2 km bbox
and Open311 GET requests.json, through gunicorn on the bench database. The floor beside it:
the same report row written by a plain INSERT over one persistent connection (what any
intake must at least cost). Every accepted report must be in the database afterwards.

Run: .venv/bin/python bench/bench_reports.py [--quick]
"""

from __future__ import annotations

import json
import random
import sys

import psycopg
import requests
from common import (
    BENCH_HROMADA,
    ensure_bench_data,
    pg_dsn,
    print_table,
    record_summary,
    repeat_ms,
    start_portal,
    summarize,
)

EXISTING = 50_000
OPEN311 = "GET Open311 requests.json"  # timed a tenth as often as the other requests
PIN = {"category": "pothole", "located_by": "pin", "answers": {"size": "30–100 см"}}


def fill_reports(conn) -> None:
    """50,000 reports spread over the bench hromada and the last year (idempotent)."""
    have = conn.execute("SELECT count(*) FROM reports_report").fetchone()[0]
    if have >= EXISTING:
        return
    minlon, minlat, maxlon, maxlat = BENCH_HROMADA["extent"]
    conn.execute(
        """
        INSERT INTO reports_report (category_id, location, located_by, location_text, locator_explanation,
            description, description_original, answers, name, email, phone, is_appeal,
            postal_address, source, status, department_id, deadline, description_hidden,
            created_at, updated_at)
        SELECT c.id,
               ST_Transform(ST_SetSRID(ST_MakePoint(%(x0)s + random() * %(dx)s,
                                                    %(y0)s + random() * %(dy)s), 4326), 3857),
               'pin', '', '', 'Згенероване звернення', '', '{}', '', '', '', false, '', 'bench',
               (ARRAY['new','confirmed','in_progress','resolved','rejected'])[1 + (g %% 5)],
               c.department_id, now() + interval '14 days', false,
               now() - (g %% 365) * interval '1 day', now()
        FROM generate_series(1, %(n)s) g
        CROSS JOIN LATERAL (SELECT id, department_id FROM reports_category
                            ORDER BY id OFFSET (g %% 8) LIMIT 1) c
        """,
        {
            "x0": minlon,
            "dx": maxlon - minlon,
            "y0": minlat,
            "dy": maxlat - minlat,
            "n": EXISTING - have,
        },
    )
    conn.execute("ANALYZE reports_report")


def random_points(seed: int = 5):
    """A function giving the next seeded (lat, lon) in the bench hromada's extent."""
    rnd = random.Random(seed)
    minlon, minlat, maxlon, maxlat = BENCH_HROMADA["extent"]

    def point():
        return minlat + rnd.random() * (maxlat - minlat), minlon + rnd.random() * (maxlon - minlon)

    return point


def count_reports(conn) -> int:
    return conn.execute("SELECT count(*) FROM reports_report").fetchone()[0]


def measure_floor(conn, point, n: int) -> dict:
    """The same report row written n times by a plain INSERT over one connection (then removed)."""
    category = conn.execute("SELECT id FROM reports_category WHERE code = 'pothole'").fetchone()

    def insert_floor():
        lat, lon = point()
        conn.execute(
            "INSERT INTO reports_report (category_id, location, located_by, location_text, locator_explanation, "
            "description, description_original, answers, name, email, phone, is_appeal, "
            "postal_address, source, status, deadline, description_hidden, created_at, "
            "updated_at) VALUES (%s, "
            "ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), 3857), 'pin', '', '', %s, '', %s, "
            "'', '', '', false, '', 'bench-floor', 'new', now(), false, now(), now())",
            (category[0], lon, lat, "Яма", json.dumps(PIN["answers"])),
        )

    floor = summarize(repeat_ms(insert_floor, n))
    conn.execute("DELETE FROM reports_report WHERE source = 'bench-floor'")
    return floor


def portal_requests(base: str, session, point, accepted: list) -> dict:
    """The measured requests by name, each one call; submit adds the new report's id to accepted."""

    def submit():
        lat, lon = point()
        r = session.post(
            f"{base}/api/v1/reports",
            json={**PIN, "lat": lat, "lon": lon, "description": "Глибока яма"},
            timeout=30,
        )
        assert r.status_code == 201, r.text[:300]
        accepted.append(r.json()["id"])

    def nearby():
        lat, lon = point()
        r = session.get(
            f"{base}/api/v1/reports/nearby",
            params={"lat": lat, "lon": lon, "category": "pothole"},
            timeout=30,
        )
        assert r.status_code == 200, r.text[:300]

    def public_list():
        lat, lon = point()
        bbox = f"{lon - 0.008},{lat - 0.0055},{lon + 0.008},{lat + 0.0055}"
        r = session.get(f"{base}/api/v1/reports/", params={"bbox": bbox}, timeout=30)
        assert r.status_code == 200, r.text[:300]

    def open311():
        r = session.get(f"{base}/open311/v2/requests.json", timeout=60)
        assert r.status_code == 200, r.text[:300]

    return {
        "POST report (pin, JSON)": submit,
        "GET nearby (150 m, same category)": nearby,
        "GET public GeoJSON, 1.2 km bbox": public_list,
        OPEN311: open311,
    }


def measure_portal(point, n: int) -> tuple[dict, list]:
    """Each request once to warm up, then n times (Open311 n/10) through gunicorn 2x4:
    (latency summaries by request, ids of the reports accepted while timed)."""
    limits = {"GEOPORTAL_REPORTS_IP_BURST": "100000", "GEOPORTAL_REPORTS_IP_PER_MINUTE": "100000"}
    base, stop, _pid = start_portal(workers=2, threads=4, extra_env=limits)
    accepted = []
    try:
        calls = portal_requests(base, requests.Session(), point, accepted)
        for warm in calls.values():
            warm()
        accepted.clear()
        runs = {name: n for name in calls} | {OPEN311: max(10, n // 10)}
        results = {name: summarize(repeat_ms(fn, runs[name])) for name, fn in calls.items()}
    finally:
        stop()
    return results, accepted


def report(before: int, floor: dict, results: dict, accepted: list) -> bool:
    """Print the table and the lost-reports line, record the summary: whether none was lost."""
    with psycopg.connect(**pg_dsn(), autocommit=True) as conn:
        found = conn.execute(
            "SELECT count(*) FROM reports_report WHERE id = ANY(%s)", (accepted,)
        ).fetchone()[0]
        total = count_reports(conn)
    rows = [[name, s["p50"], s["p95"], s["n"]] for name, s in results.items()]
    rows.append(["floor: plain INSERT, one connection", floor["p50"], floor["p95"], floor["n"]])
    print_table(
        f"Reports with {before:,} in the database (gunicorn 2x4; {total:,} after)",
        ["request", "p50 ms", "p95 ms", "n"],
        rows,
    )
    intake = results["POST report (pin, JSON)"]
    print(
        f"accepted {len(accepted)}, found in the database {found}: "
        f"{'none lost' if found == len(accepted) else 'LOST ' + str(len(accepted) - found)}; "
        f"intake p50 / plain INSERT p50 = {intake['p50'] / floor['p50']:.1f}"
    )
    record_summary(
        "report intake p50 ms (50k reports)", intake["p50"], "plain INSERT", floor["p50"], None
    )
    return found == len(accepted)


def main() -> None:
    quick = "--quick" in sys.argv
    n = 50 if quick else 200
    ensure_bench_data()
    point = random_points()
    with psycopg.connect(**pg_dsn(), autocommit=True) as conn:
        fill_reports(conn)
        before = count_reports(conn)
        floor = measure_floor(conn, point, n)
    results, accepted = measure_portal(point, n)
    if not report(before, floor, results, accepted):
        sys.exit(1)


if __name__ == "__main__":
    main()
