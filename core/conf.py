"""Configuration shared by every package: the ``setting()`` reader and what differs between
hromadas (name, centre, extent, local CRS), with documented defaults.

Code reads these names, never django.conf.settings directly, so one place says what can be
tuned (pattern of django-gisserver's conf.py). Override any of them in the environment. Each
app's own conf.py reads its GEOPORTAL_... names through ``setting()``.
"""

import json
import os

from django.conf import settings

__all__ = ["HROMADA", "PUBLIC_URL", "RASTER_DIR", "RETRY_AFTER", "TRUSTED_PROXIES", "setting"]


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

# Where imported rasters are stored as Cloud-Optimised GeoTIFFs in EPSG:3857.
RASTER_DIR = setting("GEOPORTAL_RASTER_DIR", str(settings.BASE_DIR / "var" / "rasters"))
# The public base URL, for links in capabilities documents behind a proxy ("" = from request).
PUBLIC_URL = setting("GEOPORTAL_PUBLIC_URL", "")
# Seconds a client is told to wait (Retry-After) on a 503 (database unavailable) when the error
# itself names no time.
RETRY_AFTER = int(setting("GEOPORTAL_RETRY_AFTER", 30))
# Reverse proxies (IPs or CIDRs, JSON list in the environment) whose X-Forwarded-For is believed
# when they are the direct peer; [] trusts nobody and the client is REMOTE_ADDR (core/clientip.py).
TRUSTED_PROXIES = setting("GEOPORTAL_TRUSTED_PROXIES", [])
if isinstance(TRUSTED_PROXIES, str):  # "10.0.0.1, 172.16.0.0/12" in settings.py is meant as a list
    TRUSTED_PROXIES = [x.strip() for x in TRUSTED_PROXIES.split(",") if x.strip()]
