"""Settings of the view service (GEOPORTAL_WMS_...), read through core.conf.setting."""

import tempfile
from pathlib import Path

from core.conf import setting

#: Largest GetMap image side in pixels (MapServer's MAXSIZE).
MAX_SIZE = int(setting("GEOPORTAL_WMS_MAX_SIZE", 4096))
#: Where the generated GetFeatureInfo templates are written (one per layer and version).
TEMPLATE_DIR = Path(
    setting("GEOPORTAL_WMS_TEMPLATE_DIR", str(Path(tempfile.gettempdir()) / "geoportal-wms"))
)
#: CRSs GetMap offers: Web Mercator, WGS 84 and the UCS-2000 systems the WFS offers.
CRS = ["EPSG:3857", "EPSG:4326", "CRS:84", "EPSG:5561", "EPSG:5564", "EPSG:6385", "EPSG:9840"]
