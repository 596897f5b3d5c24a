"""Hostile input against a running portal, surface by surface, as an outside probe would send
it (anonymous, loopback only): odd numbers, impossible dates, control characters, huge and
deep inputs, foreign Origins, and enumeration of staff-only positions. Prints per surface the
requests tried, server errors (5xx: goal 0) and leaks (goal 0): a stack trace, SQL, a library
class name, a server path, or a staff-only asset's exact coordinates in a public answer.

    .venv/bin/python bench/probe_hostile.py [BASE_URL]     # default: a gunicorn of its own
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEAK = re.compile(
    r"Traceback \(most recent|psycopg|django\.db\.|syntax error at or near|<class '|"
    r"pygeofilter\.|lark\.|/work/|/tmp/|site-packages|layerdata\.",
    re.IGNORECASE,
)
NUMBERS = ["NaN", "inf", "-inf", "1e308", "-1e308", "95", "-91", "181", "abc", "", "0x10",
           "9" * 40, "1,2", "٣"]  # fmt: skip
DATES = ["2024-02-30", "2024-13-01", "0000-01-01", "2024-02-29T25:00:00Z", "../..", "2024/2023",
         "9999-12-31T23:59:60Z", "\x00"]  # fmt: skip
TEXTS = ["\x0b\x01", "A" * 70_000, "<script>alert(1)</script>", "' OR 1=1 --", "=HYPERLINK(1)",
         "%00", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]  # fmt: skip


def bboxes():
    for a, b in itertools.product(NUMBERS[:8], repeat=2):
        yield f"{a},48.1,32.8,{b}"


def surfaces(base: str):
    """(surface, method, url, kwargs) of every probe."""
    items = f"{base}/ogc/collections/parcels/items"
    for b in bboxes():
        yield "OGC API items", "GET", items, {"params": {"bbox": b}}
        yield (
            "REST features",
            "GET",
            f"{base}/api/v1/layers/parcels/features/",
            {"params": {"bbox": b}},
        )
        yield (
            "exports",
            "GET",
            f"{base}/api/v1/layers/parcels/export/",
            {"params": {"format": "csv", "bbox": b}},
        )
        yield "reports (public list)", "GET", f"{base}/api/v1/reports/", {"params": {"bbox": b}}
    for d in DATES:
        yield "OGC API items", "GET", items, {"params": {"datetime": d}}
        yield "OGC API items", "GET", items, {"params": {"reg_date": d}}
        yield "Open311", "GET", f"{base}/open311/v2/requests.json", {"params": {"start_date": d}}
        yield "Open311", "GET", f"{base}/open311/v2/requests.xml", {"params": {"end_date": d}}
    for n in NUMBERS:
        yield "OGC API items", "GET", items, {"params": {"area_ha": n, "limit": n}}
        yield (
            "OGC API items",
            "GET",
            items,
            {"params": {"filter": f"S_INTERSECTS(geometry,POINT({n} {n}))"}},
        )
        yield (
            "reports (nearby)",
            "GET",
            f"{base}/api/v1/reports/nearby",
            {"params": {"lat": n, "lon": "32.7"}},
        )
        yield "tiles", "GET", f"{base}/tiles/parcels/{n}/1/1.mvt", {}
        yield "WFS", "GET", f"{base}/wfs", {"params": {"SERVICE": "WFS", "VERSION": "2.0.0",
                                                     "REQUEST": "GetFeature", "TYPENAMES": "bus-stops",
                                                     "COUNT": n}}  # fmt: skip
        yield (
            "locate",
            "POST",
            f"{base}/api/v1/locate",
            {"json": {"lat": n, "lon": n, "text": "опора 1"}},
        )
    deep = (
        "<fes:Not>" * 3000
        + "<fes:PropertyIsNull><fes:ValueReference>name</fes:ValueReference></fes:PropertyIsNull>"
        + "</fes:Not>" * 3000
    )
    yield "WFS", "POST", f"{base}/wfs", {"data": (
        '<wfs:GetFeature service="WFS" version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" '
        'xmlns:fes="http://www.opengis.net/fes/2.0"><wfs:Query typeNames="bus-stops"><fes:Filter>'
        + deep + "</fes:Filter></wfs:Query></wfs:GetFeature>").encode(), "headers": {"Content-Type": "application/xml"}}  # fmt: skip
    deep_json = {"op": "not", "args": [{"op": "=", "args": [{"property": "name"}, 1]}]}
    for _ in range(400):
        deep_json = {"op": "not", "args": [deep_json]}
    yield (
        "OGC API items",
        "GET",
        items,
        {"params": {"filter-lang": "cql2-json", "filter": json.dumps(deep_json)}},
    )
    for t in TEXTS:
        body = {"category": "other", "lat": 48.11, "lon": 32.764, "description": t}
        yield "reports (intake)", "POST", f"{base}/api/v1/reports", {"json": body}
        yield "locate", "POST", f"{base}/api/v1/locate", {"json": {"text": t}}
        yield "search", "GET", f"{base}/api/v1/search/", {"params": {"q": t[:500]}}
        yield "OGC API items", "GET", items, {"params": {"filter": t[:2000]}}
    for pk in ("1", "-1", "999999999999", "1e3", "%2e%2e"):
        yield (
            "reports (confirm, foreign Origin)",
            "POST",
            f"{base}/api/v1/reports/{pk}/confirm",
            {"headers": {"Origin": "https://evil.example"}},
        )


def staff_positions() -> dict[str, tuple[float, float]]:
    """ref -> exact lon/lat of the demo's staff-only manholes and power poles (from the DB)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    django.setup()
    from geoportal.locator import geo
    from geoportal.locator.models import Landmark

    rows = Landmark.objects.filter(layer__access="staff", kind__in=("manhole", "pole"))
    return {r.ref: geo.to_lonlat(r.geom.x, r.geom.y) for r in rows.exclude(ref="")[:400]}


def enumeration(base: str) -> tuple[int, int, int]:
    """(requests, assets probed, assets whose exact point came back within 1 m)."""
    positions = staff_positions()
    refs = list(positions)
    exact = 0
    tried = 0
    for i in range(0, len(refs), 20):
        batch = refs[i : i + 20]
        body = requests.post(f"{base}/api/v1/locate", json={"landmarks": batch}, timeout=30).json()
        tried += 1
        points = [(c["lon"], c["lat"]) for c in body.get("candidates", [])]
        for ref in batch:
            lon, lat = positions[ref]
            exact += any(abs(x - lon) < 1.5e-5 and abs(y - lat) < 1e-5 for x, y in points)
    return tried, len(refs), exact


def run(base: str) -> list[tuple[str, int, int, int]]:
    stats: dict[str, list[int]] = {}
    for surface, method, url, kwargs in surfaces(base):
        row = stats.setdefault(surface, [0, 0, 0])
        try:
            r = requests.request(method, url, timeout=60, **kwargs)
        except requests.RequestException:
            row[0] += 1
            row[1] += 1
            continue
        row[0] += 1
        row[1] += r.status_code >= 500
        row[2] += bool(LEAK.search(r.text[:200_000]))
    tried, assets, exact = enumeration(base)
    stats["locate (enumerating staff assets)"] = [tried, 0, exact]
    return [(k, *v) for k, v in stats.items()] + [("  staff assets probed", assets, 0, exact)]


def main() -> int:
    if len(sys.argv) > 1:
        rows = run(sys.argv[1].rstrip("/"))
    else:
        from geoportal.ops.localserver import gunicorn

        env = {**os.environ, "GEOPORTAL_ALLOW_HTTP": "1"}
        with gunicorn(env, workers=2, threads=2, timeout=120) as base:
            rows = run(base)
    print("| surface | requests | server errors (goal 0) | leaks (goal 0) |")
    print("|---|---|---|---|")
    for surface, n, errors, leaks in rows:
        print(f"| {surface} | {n} | {errors} | {leaks} |")
    total = sum(r[2] + r[3] for r in rows[:-1])
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
