"""Settings of the portal's own pages (the web map), each with a default; what every package
shares (the hromada, ``setting()``) is in core/conf.py."""

from core.conf import setting

__all__ = ["BASEMAP_ATTRIBUTION", "BASEMAP_URL"]

# An external basemap, when one is reachable: a Leaflet URL template or "" for none.
BASEMAP_URL = setting("GEOPORTAL_BASEMAP_URL", "")
BASEMAP_ATTRIBUTION = setting("GEOPORTAL_BASEMAP_ATTRIBUTION", "© OpenStreetMap contributors")
