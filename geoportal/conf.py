"""Portal-wide configuration: what differs between hromadas, with documented defaults.

Code reads these names, never django.conf.settings directly, so one place says what can be
tuned (pattern of django-gisserver's conf.py). Override any of them in the environment.
"""

import json
import os

from django.conf import settings

__all__ = ["HROMADA", "TILE_CACHE_DIR", "RASTER_DIR", "BASEMAP_URL", "PUBLIC_URL", "setting"]


def setting(name: str, default):
    """A setting of the portal or one of its apps: Django settings first, then the environment
    (parsed to the default's type: JSON for lists and dicts, numbers, yes/no for booleans),
    then ``default``. Every app's conf.py reads its GEOPORTAL_... names through this."""
    value = getattr(settings, name, None)
    if value is not None:
        return value
    raw = os.environ.get(name)
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, (dict, list)):
        return json.loads(raw)
    if isinstance(default, (int, float)):
        return type(default)(json.loads(raw))
    return raw


# The hromada the portal serves: name, centre and extent (lon/lat, EPSG:4326). Importers refuse
# data outside the extent; the map opens at the centre. Loaded from the environment as JSON or
# from the demo defaults (Dolynska city hromada, Kirovohrad oblast).
HROMADA = {
    "name_uk": "Долинська міська громада",
    "name_en": "Dolynska city hromada",
    "katotth": "UA35040110000055821",
    "center": [32.764, 48.110],
    "extent": [32.45, 47.95, 33.05, 48.30],
    "local_crs": "EPSG:6385",
    "zoom": 14,
}
HROMADA.update(json.loads(os.environ.get("GEOPORTAL_HROMADA", "{}")))

# Where tiles are cached on disk (can be a mounted bucket or served by nginx directly).
TILE_CACHE_DIR = setting("GEOPORTAL_TILE_CACHE_DIR", str(settings.BASE_DIR / "var" / "tiles"))
# Where imported rasters are stored as Cloud-Optimised GeoTIFFs in EPSG:3857.
RASTER_DIR = setting("GEOPORTAL_RASTER_DIR", str(settings.BASE_DIR / "var" / "rasters"))
# An external basemap, when one is reachable: a Leaflet URL template or "" for none.
BASEMAP_URL = setting("GEOPORTAL_BASEMAP_URL", "")
BASEMAP_ATTRIBUTION = setting("GEOPORTAL_BASEMAP_ATTRIBUTION", "© OpenStreetMap contributors")
# The public base URL, for links in capabilities documents behind a proxy ("" = from request).
PUBLIC_URL = setting("GEOPORTAL_PUBLIC_URL", "")
