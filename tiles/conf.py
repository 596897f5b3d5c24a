"""Settings of the tiles app (prefixed GEOPORTAL_TILE_...), each with a default.

Read at call time through this module (``conf.CACHE_DIR``), so tests and the seeding command can
point them elsewhere.
"""

from django.conf import settings

from core.conf import setting as _setting

# Root of the disk cache: {CACHE_DIR}/{slugs}/{versions}/{z}/{x}/{y}.mvt, and the public tree
# {CACHE_DIR}/public/... that mirrors the /tiles/ URLs for nginx (see tiles/cache.py).
CACHE_DIR = _setting("GEOPORTAL_TILE_CACHE_DIR", str(settings.BASE_DIR / "var" / "tiles"))
# Write tiles to the disk cache at all ("0" turns it off, e.g. on a read-only volume).
CACHE_ENABLED = _setting("GEOPORTAL_TILE_CACHE", 1) != 0
# Seconds browsers and CDNs may keep a public tile before revalidating with its ETag. Tile URLs
# carry no version, so this bounds how long an edited layer can look stale in a browser.
PUBLIC_MAX_AGE = _setting("GEOPORTAL_TILE_MAX_AGE", 300)
# When nginx fronts the portal: internal location aliasing CACHE_DIR (e.g. "/_tilecache/").
# Cached tiles of staff-only and restricted layers are then sent by nginx via X-Accel-Redirect
# after the portal has checked access; "" makes the portal send the bytes itself.
ACCEL_REDIRECT = _setting("GEOPORTAL_TILE_ACCEL_REDIRECT", "")
# Seconds a process may use its snapshot of the public layers without seeing the generation
# marker change (tiles/registry.py): bounds staleness if the marker cannot be written.
REGISTRY_TTL = _setting("GEOPORTAL_TILE_REGISTRY_TTL", 2.0)
# Bumped by an operator after a change that layer versions do not see (see cache.RENDER_VERSION).
STYLE_VERSION = str(_setting("GEOPORTAL_TILE_STYLE_VERSION", ""))
# Most portal layers one composite tile may combine.
MAX_LAYERS = 20
# Highest zoom level served at all (tiles beyond it are out of the grid for this portal).
MAX_ZOOM = 24
# Raster tile size in pixels.
RASTER_TILE_SIZE = 256
