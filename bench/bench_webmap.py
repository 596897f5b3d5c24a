"""Web map benchmark: time to a usable map in Chromium (desktop and phone viewport) and the
parcel card endpoint over HTTP, against its floor (the same card built in-process, no HTTP).

Runs on the developer database with the demo hromada loaded (`manage.py load_demo`):
    .venv/bin/python -m bench.bench_webmap [--runs 5] [--cards 50]
No peer server has a parcel card or this page; the floor column is the in-process cost.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")

from bench.common import summarize  # noqa: E402
from geoportal.ops.localserver import gunicorn  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


def page_times(url: str, runs: int, viewport: dict, ready: list | None = None) -> list[float]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for _ in range(runs):
            ctx = browser.new_context(viewport=viewport)  # fresh cache every run
            page = ctx.new_page()
            t0 = time.perf_counter()
            page.goto(url + "/#map=16/48.1105/32.7630")
            page.wait_for_function("document.documentElement.dataset.ready === 'map'")
            if ready is not None:
                ready.append((time.perf_counter() - t0) * 1000)
            page.wait_for_function("document.getElementById('map-loading').hidden === true")
            out.append((time.perf_counter() - t0) * 1000)
            ctx.close()
        browser.close()
    return out


def card_times(url: str, fids: list[int]) -> list[float]:
    out = []
    for fid in fids:
        t0 = time.perf_counter()
        with urllib.request.urlopen(f"{url}/api/v1/parcels/{fid}/card/") as r:
            r.read()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cards", type=int, default=50)
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from geoportal.webmap.cards import parcel_card

    with connection.cursor() as cur:
        cur.execute("SELECT fid FROM layerdata.parcels")
        all_fids = [r[0] for r in cur.fetchall()]
    fids = random.Random(1).sample(all_fids, min(args.cards, len(all_fids)))
    floor = []
    for fid in fids:
        t0 = time.perf_counter()
        parcel_card(AnonymousUser(), fid)
        floor.append((time.perf_counter() - t0) * 1000)
    # gunicorn's own defaults for threads and timeout; this process's environment
    with gunicorn(None, workers=2, threads=1, timeout=30) as url:
        card_times(url, fids[:5])  # warm the workers (boot, connections)
        card = card_times(url, fids)
        ready_desktop, ready_phone = [], []
        desktop = page_times(url, args.runs, {"width": 1280, "height": 800}, ready_desktop)
        phone = page_times(url, args.runs, {"width": 390, "height": 844}, ready_phone)
    rows = [
        ("parcel card, HTTP (gunicorn 2 workers)", summarize(card), summarize(floor)),
        ("layer panel ready, 1280x800", summarize(ready_desktop), None),
        ("map usable, cold cache, 1280x800, z16", summarize(desktop), None),
        ("layer panel ready, 390x844", summarize(ready_phone), None),
        ("map usable, cold cache, 390x844, z16", summarize(phone), None),
    ]
    print(f"{'measure':42} {'p50 ms':>8} {'p95 ms':>8} {'floor p50':>10} {'ratio':>6}")
    for name, ours, fl in rows:
        extra = f"{fl['p50']:10.1f} {ours['p50'] / fl['p50']:6.1f}" if fl else f"{'-':>10} {'-':>6}"
        print(f"{name:42} {ours['p50']:8.1f} {ours['p95']:8.1f} {extra}")
    print(f"({len(fids)} cards of {len(all_fids)} parcels; {args.runs} page loads each)")


if __name__ == "__main__":
    main()
