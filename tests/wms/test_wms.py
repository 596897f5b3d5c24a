"""WMS 1.3.0 at /wms with real clients: OWSLib's WebMapService (capabilities with only the
caller's layers, GetMap decoded: pixels drawn where the data are, blank where they are not,
in EPSG:3857, EPSG:4326 and UCS-2000), GDAL's WMS driver (gdal_translate to a GeoTIFF with the
right georeferencing), GetFeatureInfo as HTML and GeoJSON, GetLegendGraphic, SLD styles."""

from __future__ import annotations

import io
import json
import subprocess

import numpy as np
import pytest
import requests
from PIL import Image
from pyproj import Transformer

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def wms(url, **kwargs):
    from owslib.wms import WebMapService

    return WebMapService(f"{url}/wms", version="1.3.0", timeout=60, **kwargs)


def centre_3857(layer, half=150.0):
    """A box around the layer's first feature (the tables are EPSG:3857)."""
    from layers.dynamic import feature_model

    point = feature_model(layer).objects.order_by("fid").first().geom.point_on_surface
    return (point.x - half, point.y - half, point.x + half, point.y + half)


def alpha(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))[:, :, 3]


def test_capabilities_list_only_visible_layers_and_the_service_metadata(portal_server, demo_layers):
    from core.service import SERVICE

    anonymous = wms(portal_server)
    names = set(anonymous.contents)
    assert "parcels" in names and "manholes" not in names
    assert anonymous.provider.name == SERVICE["provider_uk"]
    assert anonymous.identification.fees == SERVICE["fees"]
    crs = set(anonymous["parcels"].crsOptions)
    assert {"EPSG:3857", "EPSG:4326", "EPSG:6385", "EPSG:5561"} <= crs
    assert anonymous["parcels"].metadataUrls  # the CSW record of the layer
    staff = wms(portal_server, username="planner", password=PASSWORD)
    assert "manholes" in staff.contents


def test_getmap_draws_where_the_data_are_and_nothing_elsewhere(portal_server, demo_layers):
    service = wms(portal_server)
    box = centre_3857(demo_layers["buildings"], half=400)
    img = service.getmap(layers=["buildings"], styles=[""], srs="EPSG:3857", bbox=box,
                         size=(256, 256), format="image/png", transparent=True)  # fmt: skip
    drawn = alpha(img.read())
    assert (drawn > 0).mean() > 0.01
    far = (box[0] + 3e5, box[1] + 3e5, box[2] + 3e5, box[3] + 3e5)
    img = service.getmap(layers=["buildings"], styles=[""], srs="EPSG:3857", bbox=far,
                         size=(256, 256), format="image/png", transparent=True)  # fmt: skip
    assert (alpha(img.read()) > 0).sum() == 0
    jpeg = service.getmap(layers=["buildings"], styles=[""], srs="EPSG:3857", bbox=box,
                          size=(128, 128), format="image/jpeg")  # fmt: skip
    assert Image.open(io.BytesIO(jpeg.read())).format == "JPEG"


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:6385", "EPSG:5561"])
def test_getmap_in_geographic_and_ucs2000_systems(portal_server, demo_layers, crs):
    box = centre_3857(demo_layers["buildings"], half=400)
    t = Transformer.from_crs(3857, crs)  # authority axis order, as WMS 1.3.0 wants
    a = t.transform(box[0], box[1])
    b = t.transform(box[2], box[3])
    r = requests.get(f"{portal_server}/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "buildings",
        "STYLES": "", "CRS": crs, "BBOX": f"{a[0]},{a[1]},{b[0]},{b[1]}", "WIDTH": 200,
        "HEIGHT": 200, "FORMAT": "image/png", "TRANSPARENT": "TRUE"}, timeout=60)  # fmt: skip
    assert r.headers["Content-Type"] == "image/png", r.text[:300]
    assert (alpha(r.content) > 0).mean() > 0.01


def test_staff_only_layer_is_refused_to_anonymous_getmap(portal_server, demo_layers):
    box = centre_3857(demo_layers["manholes"], half=60)  # within its minimum zoom
    params = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "manholes",
              "STYLES": "", "CRS": "EPSG:3857", "BBOX": ",".join(map(str, box)), "WIDTH": 128,
              "HEIGHT": 128, "FORMAT": "image/png", "TRANSPARENT": "TRUE"}  # fmt: skip
    r = requests.get(f"{portal_server}/wms", params=params, timeout=60)
    assert not r.headers["Content-Type"].startswith("image/")
    assert b"LAYERS" in r.content and b"ServiceException" in r.content  # as for an unknown name
    r = requests.get(f"{portal_server}/wms", params=params, auth=("planner", PASSWORD), timeout=60)
    assert r.headers["Content-Type"] == "image/png"
    assert (alpha(r.content) > 0).sum() > 0


def test_gdal_translate_writes_a_georeferenced_geotiff(portal_server, demo_layers, tmp_path):
    box = centre_3857(demo_layers["buildings"], half=400)
    url = (f"WMS:{portal_server}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=buildings"
           f"&CRS=EPSG:3857&BBOX={','.join(map(str, box))}&FORMAT=image/png&TRANSPARENT=TRUE")  # fmt: skip
    out = tmp_path / "buildings.tif"
    r = subprocess.run(["gdal_translate", "-of", "GTiff", "-outsize", "256", "256", url, str(out)],
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    import rasterio

    with rasterio.open(out) as ds:
        gt = ds.transform
        assert abs(gt.c - box[0]) < 1 and abs(gt.f - box[3]) < 1
        assert abs(gt.a - (box[2] - box[0]) / 256) < 0.01
        assert ds.crs.to_epsg() == 3857
        assert ds.count == 4 and ds.read(4).max() > 0  # drawn pixels where the buildings are


def test_getfeatureinfo_html_and_geojson(portal_server, demo_layers):
    from layers.dynamic import feature_model

    parcel = feature_model(demo_layers["parcels"]).objects.order_by("fid").first()
    point = parcel.geom.point_on_surface
    x, y = point.x, point.y  # the tables are EPSG:3857
    box = (x - 50, y - 50, x + 50, y + 50)
    params = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetFeatureInfo",
              "LAYERS": "parcels", "QUERY_LAYERS": "parcels", "STYLES": "", "CRS": "EPSG:3857",
              "BBOX": ",".join(map(str, box)), "WIDTH": 101, "HEIGHT": 101, "I": 50, "J": 50,
              "FORMAT": "image/png"}  # fmt: skip
    html = requests.get(f"{portal_server}/wms", params={**params, "INFO_FORMAT": "text/html"})
    assert html.headers["Content-Type"].startswith("text/html")
    assert parcel.cadnum in html.text
    geojson = requests.get(
        f"{portal_server}/wms", params={**params, "INFO_FORMAT": "application/json"}
    )
    data = json.loads(geojson.content)
    assert parcel.cadnum in [f["properties"].get("cadnum") for f in data["features"]]


def test_legend_and_sld(portal_server, demo_layers):
    r = requests.get(f"{portal_server}/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetLegendGraphic", "LAYER": "parcels",
        "FORMAT": "image/png", "SLD_VERSION": "1.1.0"})  # fmt: skip
    assert r.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(r.content)).size[0] > 0
    r = requests.get(f"{portal_server}/wms", params={
        "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetStyles", "LAYERS": "parcels",
        "SLD_VERSION": "1.1.0"})  # fmt: skip
    assert b"StyledLayerDescriptor" in r.content
    fill = demo_layers["parcels"].style["fillColor"].lower()
    assert fill.encode() in r.content.lower()


@pytest.mark.parametrize(
    "extra",
    [{"WIDTH": "NaN"}, {"BBOX": "nan,0,1,1"}, {"BBOX": "1,2,3"}, {"WIDTH": "99999"},
     {"LAYERS": "parcels\x00"}, {"CRS": "EPSG:99999999"}, {"FORMAT": "image/gif"}],
)  # fmt: skip
def test_bad_getmap_is_an_exception_not_a_500(client, extra):
    params = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "parcels",
              "STYLES": "", "CRS": "EPSG:3857", "BBOX": "0,0,1,1", "WIDTH": "10", "HEIGHT": "10",
              "FORMAT": "image/png", **extra}  # fmt: skip
    r = client.get("/wms", params, HTTP_HOST="127.0.0.1")
    assert r.status_code < 500
    assert b"Exception" in r.content
