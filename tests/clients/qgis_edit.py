"""QGIS 3.22 editing a portal layer in place through WFS-T, run headless by
tests/clients/test_qgis_edit.py with Debian's /usr/bin/python3.

Usage: /usr/bin/python3 qgis_edit.py CONFIG_JSON -- CONFIG has ``base``, ``typename``,
``username``/``password`` (sent as HTTP basic auth; omitted: anonymous), ``find`` (the ``num``
of the feature to change), ``new_num``, ``move_to`` [lon, lat], ``add`` {num, lon, lat} and
``delete`` (the ``num`` of a feature to delete). Opens the WFS 2.0 layer, edits in an edit
session as a person would (attribute, geometry, a new feature, a deletion), commits, and prints
one JSON object: the provider's edit capabilities, whether the commit succeeded, QGIS's commit
errors and log messages.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402 (the platform must be chosen before Qt loads)
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsVectorDataProvider,
    QgsVectorLayer,
)

MESSAGES: list[str] = []


def by_num(layer, num):
    return next((f for f in layer.getFeatures() if f["num"] == num), None)


def edit(cfg: dict) -> dict:
    auth = (
        f"username='{cfg['username']}' password='{cfg['password']}' " if cfg.get("username") else ""
    )
    uri = (
        f"{auth}srsname='EPSG:4326' typename='{cfg['typename']}' url='{cfg['base']}/wfs' "
        "version='2.0.0' restrictToRequestBBOX='0'"
    )
    layer = QgsVectorLayer(uri, "wfs-t", "WFS")
    result = {"valid": layer.isValid()}
    if not layer.isValid():
        return result
    caps = layer.dataProvider().capabilities()
    result["can_change"] = bool(caps & QgsVectorDataProvider.ChangeAttributeValues)
    result["can_add"] = bool(caps & QgsVectorDataProvider.AddFeatures)
    result["can_delete"] = bool(caps & QgsVectorDataProvider.DeleteFeatures)
    target = by_num(layer, cfg["find"])
    gone = by_num(layer, cfg["delete"])
    result["found"] = target is not None and gone is not None
    if not result["found"]:
        return result
    layer.startEditing()
    num = layer.fields().indexOf("num")
    layer.changeAttributeValue(target.id(), num, cfg["new_num"])
    layer.changeGeometry(target.id(), QgsGeometry.fromPointXY(QgsPointXY(*cfg["move_to"])))
    added = QgsFeature(layer.fields())
    added.setAttribute("num", cfg["add"]["num"])
    added.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(cfg["add"]["lon"], cfg["add"]["lat"])))
    layer.addFeature(added)
    layer.deleteFeature(gone.id())
    result["committed"] = layer.commitChanges()
    result["errors"] = layer.commitErrors()
    if not result["committed"]:
        layer.rollBack()
    return result


def main() -> None:
    cfg = json.loads(sys.argv[1])
    app = QgsApplication([], False)
    app.initQgis()
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: MESSAGES.append(f"{tag}: {message}")
    )
    out = edit(cfg)
    out["messages"] = MESSAGES[-40:]
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # exitQgis() can crash on teardown of the network threads in offscreen mode


if __name__ == "__main__":
    main()
