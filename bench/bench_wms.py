"""Discovery and view services in process (Django test client, the developer's database with
the demo loaded): CSW GetRecords of 10 records, CSW and WMS GetCapabilities, WMS GetMap
512x512 PNG of the parcels at a z16 scale, p50/p95 of N runs each after one warm-up.

Not yet here: the 1M bench parcels beside MapServer 8 under FastCGI (bench/README, issue 16).
Run: .venv/bin/python bench/bench_wms.py [--runs N]"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
os.environ.setdefault("GEOPORTAL_LOG_LEVEL", "ERROR")
os.environ.setdefault("GEOPORTAL_ACCESS_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402


def timed(client, path, params, runs):
    client.get(path, params)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        r = client.get(path, params)
        samples.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, r.content[:300]
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from layers.dynamic import feature_model
    from layers.models import Layer

    client = Client(HTTP_HOST="127.0.0.1")
    parcels = Layer.objects.filter(kind="cadastral").order_by("-feature_count").first()
    p = feature_model(parcels).objects.order_by("fid").first().geom.point_on_surface
    half = 512 * 2.39 / 2  # z16: 2.39 m per pixel
    rows = {
        "CSW GetRecords 10 (2.0.2, brief)": ("/csw", {"service": "CSW", "version": "2.0.2",
            "request": "GetRecords", "typenames": "csw:Record", "elementsetname": "brief",
            "resulttype": "results", "maxrecords": "10"}),
        "CSW GetCapabilities": ("/csw", {"service": "CSW", "request": "GetCapabilities"}),
        f"WMS GetCapabilities ({Layer.objects.filter(access='public').count()} layers)": (
            "/wms", {"service": "WMS", "request": "GetCapabilities", "version": "1.3.0"}),
        "WMS GetMap 512x512 PNG parcels z16": ("/wms", {"SERVICE": "WMS", "VERSION": "1.3.0",
            "REQUEST": "GetMap", "LAYERS": parcels.slug, "STYLES": "", "CRS": "EPSG:3857",
            "BBOX": f"{p.x - half},{p.y - half},{p.x + half},{p.y + half}", "WIDTH": "512",
            "HEIGHT": "512", "FORMAT": "image/png", "TRANSPARENT": "TRUE"}),
    }  # fmt: skip
    print(f"{'request':52} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (path, params) in rows.items():
        p50, p95 = timed(client, path, params, args.runs)
        print(f"{name:52} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
