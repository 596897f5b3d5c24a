"""Public cached tiles served before Django: a WSGI wrapper doing for gunicorn alone what
nginx does in a deployment (deploy/nginx/geoportal.conf).

It reads the cache's ``public/`` tree (tiles/cache.py), which links nothing but sets of
public layers at their current version and loses a link the moment a layer changes: whatever
it finds there anyone may see, so it needs no session, token or query. A tile of staff-only or
restricted layers is answered here only when the caller's session cookie or API token has an
access decision in layers.access's cache (made by Django on an earlier request, dropped on
every change of access, groups, users, tokens or sessions) that names every layer of the set;
the bytes then come from the layers' current version directory (or nginx sends them, with
X-Accel-Redirect). Everything else (a miss, no decision, a TileJSON, a bad path) goes on to
Django, which checks access, renders, caches and publishes. The ETag is the one Django gives
the same tile, so a browser's If-None-Match works across both paths.

Measured (bench/bench_tiles.py, cached z16, wrk -t2 -c16): see docs/performance.md.
"""

from __future__ import annotations

import os
import re

from django.conf import settings
from django.http import parse_cookie

from layers import access

from . import cache, conf, registry, service

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
        answer = PublicTileFastPath._public(match, environ)
        if answer is None and (environ.get("HTTP_COOKIE") or environ.get("HTTP_AUTHORIZATION")):
            answer = PublicTileFastPath._decided(match, environ)
        return answer

    @staticmethod
    def _public(match, environ):
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
        body, extra = cache.encode(data, kind, environ.get("HTTP_ACCEPT_ENCODING", ""))
        headers += [("Content-Type", cache.MEDIA_TYPES[kind]), *extra]
        return "200 OK", headers + [("Content-Length", str(len(body)))], body

    @staticmethod
    def _decided(match, environ):
        """A cached tile of layers the caller's cached access decision allows, else None."""
        allowed = None
        for key in _credentials(environ):
            allowed = access.cached(key)
            if allowed is not None:
                break
        slugs = match["set"].removeprefix("raster/").split(",")
        if allowed is None or not set(slugs) <= allowed:
            return None
        every = registry.all_layers()
        if any(slug not in every for slug in slugs):
            return None
        layers = [every[slug] for slug in slugs]
        kind, z = match["kind"], int(match["z"])
        key = service.tile_key(layers, kind, z, int(match["x"]), int(match["y"]))
        if key.public or not service.shown_layers(layers, kind, z):
            return None  # Django publishes public sets and answers the empty zooms
        etag = key.etag
        headers = [
            ("ETag", etag),
            ("Cache-Control", cache.cache_control(public=False)),
            ("Vary", "Cookie, Authorization"),
        ]
        if cache.etag_matches(environ.get("HTTP_IF_NONE_MATCH", ""), etag):
            return "304 Not Modified", headers, b""
        data = cache.read(key)
        if data is None:
            return None  # not rendered yet: Django renders and caches it
        if not data:
            return "204 No Content", headers, b""
        headers.append(("Content-Type", cache.MEDIA_TYPES[kind]))
        if conf.ACCEL_REDIRECT:
            headers.append(("X-Accel-Redirect", conf.ACCEL_REDIRECT + key.relpath))
            return "200 OK", headers + [("Content-Length", "0")], b""
        body, extra = cache.encode(data, kind, environ.get("HTTP_ACCEPT_ENCODING", ""))
        headers = [(k, "Cookie, Authorization, Accept-Encoding" if k == "Vary" else v)
                   for k, v in headers] + [h for h in extra if h[0] != "Vary"]  # fmt: skip
        return "200 OK", headers + [("Content-Length", str(len(body)))], body


def _credentials(environ) -> list[str]:
    """layers.access cache keys of the session cookie and the API token, in the order Django's
    middleware prefers them (a logged-in session wins over an Authorization header)."""
    keys = []
    session = parse_cookie(environ.get("HTTP_COOKIE", "")).get(settings.SESSION_COOKIE_NAME)
    if session:
        keys.append(access.credential("session", session))
    scheme, _sep, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() in ("token", "bearer") and token.strip():
        keys.append(access.credential("token", token.strip()))
    return keys
