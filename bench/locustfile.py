"""Mixed traffic of a municipal portal after a storm, for locust (run by bench/load.py).

Weights follow issue 8: map tiles 70 %, feature info 10 %, search 8 %, WFS 7 %, report
submission 5 %. Anonymous residents, as most of the real traffic is. The report endpoint
(POST /api/v1/reports) may not exist in older checkouts: a 404 there counts as "not
available", a 429 as the abuse guard working, not as errors; 2xx answers are counted as
accepted reports (bench/load.py compares them with the rows added to the database).

Loopback only: the run stops at once if --host is not 127.0.0.1 / localhost / [::1].
Area: LOAD_CENTER="lon,lat" (default: the demo hromada's centre), LOAD_TILE_LAYERS.
"""

from __future__ import annotations

import json
import math
import os
import random
from urllib.parse import urlsplit

import morecantile
from locust import HttpUser, between, events, task

TMS = morecantile.tms.get("WebMercatorQuad")

CENTER = [float(v) for v in os.environ.get("LOAD_CENTER", "32.764,48.110").split(",")]
SPREAD = float(os.environ.get("LOAD_SPREAD_DEG", "0.02"))  # about 1.5-2 km around the centre
TILE_LAYERS = os.environ.get("LOAD_TILE_LAYERS", "parcels,buildings;streets;parcels").split(";")
SEARCH_TERMS = [
    "Шевченка", "вул. Соборна", "Центральна 12", "Елеватор", "Автостанція", "школа",
    "3521", "35211", "Миру", "Пултівці",
]  # fmt: skip
CATEGORIES = ["pothole"]  # seeded by geoportal/reports (migration 0002)
ACCEPTED = {"reports": 0, "report_endpoint_missing": 0, "reports_rate_limited": 0}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@events.init.add_listener
def _loopback_only(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        raise SystemExit(f"load tests run on loopback only, not against {environment.host!r}")


@events.test_stop.add_listener
def _write_counts(environment, **kwargs):
    path = os.environ.get("LOAD_COUNTS_FILE")
    if path:
        with open(path, "w") as fh:
            json.dump(ACCEPTED, fh)


def _point():
    return (
        CENTER[0] + random.uniform(-SPREAD, SPREAD),
        CENTER[1] + random.uniform(-SPREAD, SPREAD),
    )


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    tile = TMS.tile(lon, lat, z)
    return tile.x, tile.y


def _bbox(lon, lat, metres):
    dlat = metres / 111_320
    dlon = metres / (111_320 * math.cos(math.radians(lat)))
    return f"{lon - dlon:.6f},{lat - dlat:.6f},{lon + dlon:.6f},{lat + dlat:.6f}"


class Resident(HttpUser):
    wait_time = between(0.5, 2.0)

    @task(70)
    def tile(self):
        layers = random.choice(TILE_LAYERS)
        z = random.choice([14, 15, 15, 16, 16, 17])
        x, y = _tile(*_point(), z)
        with self.client.get(
            f"/tiles/{layers}/{z}/{x}/{y}.mvt", name="tile", catch_response=True
        ) as response:
            if response.status_code in (200, 204):
                response.success()

    @task(10)
    def feature_info(self):
        lon, lat = _point()
        self.client.get(
            f"/ogc/collections/parcels/items?bbox={_bbox(lon, lat, 15)}&limit=5",
            name="feature info (OGC items, click bbox)",
        )

    @task(8)
    def search(self):
        self.client.get("/api/v1/search/", params={"q": random.choice(SEARCH_TERMS)}, name="search")

    @task(7)
    def wfs(self):
        lon, lat = _point()
        west, south, east, north = _bbox(lon, lat, 150).split(",")
        self.client.get(
            "/wfs",
            params={
                "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                "TYPENAMES": "buildings", "COUNT": "200", "OUTPUTFORMAT": "geojson",
                "BBOX": f"{west},{south},{east},{north},urn:ogc:def:crs:OGC:1.3:CRS84",
            },
            name="WFS GetFeature",
        )  # fmt: skip

    @task(5)
    def report(self):
        lon, lat = _point()
        body = {
            "category": random.choice(CATEGORIES),
            "located_by": "pin",
            "answers": {"size": random.choice(["до 30 см", "30–100 см", "понад 1 м"])},
            "description": "Яма на дорозі біля зупинки, глибина близько 10 см.",
            "lat": round(lat, 6),
            "lon": round(lon, 6),
        }
        with self.client.post(
            "/api/v1/reports", json=body, name="report submission", catch_response=True
        ) as response:
            if 200 <= response.status_code < 300:
                ACCEPTED["reports"] += 1
            elif response.status_code == 404:
                ACCEPTED["report_endpoint_missing"] += 1
                response.success()  # endpoint not built yet: not a server error
            elif response.status_code == 429:
                ACCEPTED["reports_rate_limited"] += 1
                response.success()  # the abuse guard doing its job (load.py raises its limits)
