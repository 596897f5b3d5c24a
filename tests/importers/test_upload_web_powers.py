"""The upload page with the CLI's powers in web words (issue 20), in Chromium: a CSV with lon/lat
columns imports with no CRS chosen (degrees by default); a cp1251 shapefile without .cpg is
refused with a message naming the page's «Кодування» field (not a CLI flag), then imports with
CP1251 chosen there; a bad CRS is a readable form error, not JSON; the CRS picker offers the
Ukrainian systems first. Screenshots at phone and desktop size go to test-artifacts/."""

from __future__ import annotations

import io
import os
import zipfile

import pyogrio
import pytest

from layers.dynamic import feature_model
from layers.models import Layer
from tests.importers.conftest import cleanup_layers, planner_upload_page

pytestmark = pytest.mark.django_db
SLUGS = ("web-lonlat", "web-cp1251")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


_cleanup = cleanup_layers(*SLUGS)


def _cp1251_shapefile(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    folder = tmp_path / "shp"
    folder.mkdir()
    frame = gpd.GeoDataFrame({"nazva": ["Вулиця Шевченка", "Площа Миру"]},
                             geometry=[Point(32.77, 48.12), Point(32.771, 48.121)], crs=4326)  # fmt: skip
    pyogrio.write_dataframe(frame, folder / "streets.shp", encoding="cp1251")
    (folder / "streets.cpg").unlink(missing_ok=True)  # as old deliveries come: no .cpg
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    path = tmp_path / "streets.zip"
    path.write_bytes(buf.getvalue())
    return path


def _submit(page, path, slug, **choices):
    page.set_input_files("#id_file", str(path))
    page.fill("#id_slug", slug)
    page.fill("#id_crs", choices.get("crs", ""))
    page.select_option("#id_encoding", choices.get("encoding", ""))
    page.click("#upload-form button[type=submit]")


def test_web_upload_has_the_cli_powers_in_web_words(
    browser, upload_server, tmp_path, artifacts_dir
):
    from playwright.sync_api import expect

    base, _dir = upload_server
    csv = tmp_path / "poles.csv"
    csv.write_text("lon,lat,num\n32.764,48.110,1\n32.765,48.111,2\n", "utf-8")
    shapefile = _cp1251_shapefile(tmp_path)
    page, errors = planner_upload_page(browser, base, 1440, 900)
    options = page.locator("#crs-choices option").evaluate_all("os => os.map(o => o.value)")
    assert options[:3] == ["EPSG:4326", "EPSG:6381", "EPSG:6382"] and "EPSG:6385" in options
    status = page.locator("#job-status")

    _submit(page, csv, SLUGS[0])
    expect(status).to_contain_text("Готово", timeout=30_000)
    expect(status).to_contain_text("імпортовано 2")
    expect(status).to_contain_text("виправлено геометрій 0")

    _submit(page, shapefile, SLUGS[1])
    expect(status).to_contain_text("Кодування", timeout=30_000)
    assert "--encoding" not in status.inner_text()
    page.screenshot(
        path=str(artifacts_dir / "importers-upload-encoding-desktop.png"), full_page=True
    )
    _submit(page, shapefile, SLUGS[1], encoding="cp1251")
    expect(status).to_contain_text("Готово", timeout=30_000)

    _submit(page, csv, SLUGS[0], crs="EPSG:99999")
    expect(status).to_contain_text("Система координат: Невідома система координат")
    assert "{" not in status.inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts_dir / "importers-upload-phone.png"), full_page=True)
    assert errors == []
    layer = Layer.objects.get(slug=SLUGS[0])
    assert "EPSG:4326" in layer.source_crs and layer.feature_count == 2
    streets = Layer.objects.get(slug=SLUGS[1])
    names = sorted(feature_model(streets).objects.values_list("nazva", flat=True))
    assert names == ["Вулиця Шевченка", "Площа Миру"]
