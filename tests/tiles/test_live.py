"""Tiles over real HTTP (gunicorn): GDAL's MVT driver reading a tile URL, conditional requests,
a raster PNG, and a staff-only layer hidden from anonymous clients."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request

import pytest


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.django_db
def test_gdal_reads_a_tile_url_and_etag_works(portal_server, known_parcel):
    z, x, y = known_parcel["tile"]
    url = f"{portal_server}/tiles/parcels/{z}/{x}/{y}.mvt"
    status, headers, body = _get(url)
    assert status == 200 and body
    assert _get(url, {"If-None-Match": headers["ETag"]})[0] == 304
    out = subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", f"MVT:{url}", "parcels"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    cadnums = {f["properties"].get("cadnum") for f in json.loads(out.stdout)["features"]}
    assert known_parcel["cadnum"] in cadnums


@pytest.mark.django_db
def test_staff_layer_hidden_over_http(portal_server):
    for path in ("/tiles/power-poles/16/38737/22750.mvt", "/tiles/power-poles.json"):
        status, headers, body = _get(portal_server + path)
        assert status == 404 and headers["Content-Type"] == "application/problem+json"
        assert json.loads(body)["code"] == "layer-not-found"
