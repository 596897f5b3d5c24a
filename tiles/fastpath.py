"""Public cached tiles served before Django: a WSGI wrapper doing for gunicorn alone what
nginx does in a deployment (deploy/nginx/geoportal.conf).

It reads only the cache's ``public/`` tree (tiles/cache.py), which links nothing but sets of
public layers at their current version and loses a link the moment a layer changes: whatever
it finds there anyone may see, so it needs no session, token or query. Everything else (a
miss, a staff layer, a TileJSON, a bad path) goes on to Django, which checks access, renders,
caches and publishes. The ETag is the one Django gives the same tile, so a browser's
If-None-Match works across both paths.

Measured (bench/bench_tiles.py, cached z16, wrk -t2 -c16): see docs/performance.md.
"""

from __future__ import annotations

import os
import re

from . import cache, conf

__all__ = ["PublicTileFastPath"]

TILE = re.compile(
    r"^/tiles/(?P<set>[a-z0-9,-]+|raster/[a-z0-9-]+)/(?P<z>[0-9]{1,2})/(?P<x>[0-9]+)/(?P<y>[0-9]+)"
    r"\.(?P<kind>mvt|png)$"
)


class PublicTileFastPath:
    """WSGI middleware: answer GET/HEAD of a tile found in the public cache tree, else pass on."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and conf.CACHE_ENABLED:
            match = TILE.match(environ.get("PATH_INFO", ""))
            if match:
                answer = self._cached(match, environ)
                if answer is not None:
                    status, headers, body = answer
                    start_response(status, headers)
                    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        return self.app(environ, start_response)

    @staticmethod
    def _cached(match, environ):
        link = os.path.join(conf.CACHE_DIR, "public", match["set"])
        try:
            versions = os.readlink(link).rsplit("/", 1)[-1]
        except OSError:
            return None  # not a published public set: Django decides
        kind = match["kind"]
        etag = cache.etag(kind, versions, public=True)
        headers = [("ETag", etag), ("Cache-Control", cache.cache_control(public=True))]
        if cache.etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), etag):
            return "304 Not Modified", headers, b""
        data = cache.read_file(os.path.join(link, match["z"], match["x"], f"{match['y']}.{kind}"))
        if data is None:
            return None
        if not data:
            return "204 No Content", headers, b""
        headers += [("Content-Type", cache.MEDIA_TYPES[kind]), ("Content-Length", str(len(data)))]
        return "200 OK", headers, data
