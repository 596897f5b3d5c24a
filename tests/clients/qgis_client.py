"""QGIS 3.22 (Debian's python3-qgis) as a real client of the portal's services, run headless by
tests/clients/test_qgis.py with Debian's /usr/bin/python3, not the project's virtualenv.

Usage: /usr/bin/python3 qgis_client.py CONFIG_JSON -- CONFIG is an object with ``base`` (the
portal's URL), ``layer`` (a public vector layer's slug), ``field``/``value`` (a subset string
``"field" = 'value'`` the WFS provider turns into a FES filter), ``bbox`` (EPSG:3857 box with
data), ``staff_layer``; with ``username``/``password`` (sent as HTTP basic auth) it only loads the
staff layer from the WMS, since QGIS caches capabilities by URL and one process is one caller.

Prints one JSON object: per service whether the layer is valid, feature counts, non-empty pixels
of a rendered image, and QGIS's own log messages (what to read when a load fails). With
QGIS_CLIENT_SAVE=<folder> in the environment, the rendered images are saved there.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402 (the platform must be chosen before Qt loads)
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

MESSAGES: list[str] = []


def render(layer, bbox) -> int:
    """Render ``layer`` over ``bbox`` (EPSG:3857) at 256x256 on a transparent background; the
    number of drawn (not fully transparent) pixels, sampled every second row and column."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setExtent(QgsRectangle(*bbox))
    settings.setOutputSize(QSize(256, 256))
    settings.setBackgroundColor(QColor(0, 0, 0, 0))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    if os.environ.get("QGIS_CLIENT_SAVE"):
        image.save(f"{os.environ['QGIS_CLIENT_SAVE']}/{layer.name()}-{int(bbox[0])}.png")
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixel(x, y) >> 24  # QRgb's alpha byte (QColor(int) would drop it)
    )


def wms(cfg: dict, layer: str, auth: bool) -> dict:
    uri = f"crs=EPSG:3857&format=image/png&layers={layer}&styles=&url={cfg['base']}/wms" + (
        f"&username={cfg['username']}&password={cfg['password']}" if auth else ""
    )
    raster = QgsRasterLayer(uri, "wms", "wms")
    result = {"valid": raster.isValid()}
    if raster.isValid():
        result["pixels"] = render(raster, cfg["bbox"])
        result["empty_pixels"] = render(raster, cfg["empty_bbox"])
    return result


def count(layer) -> int:
    return sum(1 for _ in layer.getFeatures())


def wfs(cfg: dict) -> dict:
    uri = (
        f"pagingEnabled='true' srsname='EPSG:4326' typename='{cfg['typename']}' "
        f"url='{cfg['base']}/wfs' version='2.0.0'"
    )
    layer = QgsVectorLayer(uri, "wfs", "WFS")
    result = {"valid": layer.isValid()}
    if layer.isValid():
        result["count"] = count(layer)
        result["subset_applied"] = layer.setSubsetString(f"\"{cfg['field']}\" = '{cfg['value']}'")
        result["filtered_count"] = count(layer)
    return result


def oapif(cfg: dict) -> dict:
    layer = QgsVectorLayer(f"typename='{cfg['layer']}' url='{cfg['base']}/ogc'", "oapif", "OAPIF")
    result = {"valid": layer.isValid()}
    if layer.isValid():
        result["count"] = count(layer)
    return result


def vector_tiles(cfg: dict) -> dict:
    url = f"{cfg['base']}/tiles/{cfg['layer']}/{{z}}/{{x}}/{{y}}.mvt"
    layer = QgsVectorTileLayer(f"type=xyz&url={url}&zmin=14&zmax=18", "vt")
    result = {"valid": layer.isValid()}
    if layer.isValid():
        result["pixels"] = render(layer, cfg["bbox"])
    return result


def main() -> None:
    cfg = json.loads(sys.argv[1])
    app = QgsApplication([], False)
    app.initQgis()
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: MESSAGES.append(f"{tag}: {message}")
    )
    if cfg.get("username"):  # QGIS caches capabilities by URL: one caller per process
        out = {"wms_staff_signed_in": wms(cfg, cfg["staff_layer"], auth=True)}
    else:
        out = {
            "wms": wms(cfg, cfg["layer"], auth=False),
            "wms_staff_anonymous": wms(cfg, cfg["staff_layer"], auth=False),
            "wfs": wfs(cfg),
            "oapif": oapif(cfg),
            "vector_tiles": vector_tiles(cfg),
        }
    out["messages"] = MESSAGES[-40:]
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # exitQgis() can crash on teardown of the network threads in offscreen mode


if __name__ == "__main__":
    main()
