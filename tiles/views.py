"""Tile endpoints: /tiles/{layers}/{z}/{x}/{y}.mvt, /tiles/raster/{layer}/{z}/{x}/{y}.png,
/tiles/{layers}.json (TileJSON). Thin: tiles.service decides, these add the HTTP caching headers.

Headers: ETag from the layers' versions and whether all are public; Cache-Control ``public,
max-age`` for public layers and ``private, no-cache`` otherwise (a browser keeps a staff tile but
revalidates it, so losing access takes effect at once); 304 on a matching If-None-Match; 204 for
an empty tile. Errors are problem+json (core.errors), never an HTML page or a 500.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.errors import PortalError
from layers import access

from . import cache, conf, service
from .tilejson import tilejson as build_tilejson


def problems(view):
    """GET/HEAD only; a PortalError is rendered as problem+json by core.errors."""
    return require_safe(view)


def _cache_headers(response: HttpResponse, etag: str, public: bool) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = cache.cache_control(public)
    if not public:
        patch_vary_headers(response, ["Cookie", "Authorization"])
    return response


def _not_modified(request, etag: str) -> bool:
    return cache.etag_matches(request.headers.get("If-None-Match", ""), etag)


def credential(request) -> tuple[str, float | None] | None:
    """The layers.access cache key of what authenticated the caller (their session, else their
    API token) and when it expires; None for anonymous callers and HTTP basic auth. The same
    key tiles.fastpath computes from the cookie and the Authorization header."""
    user = request.user
    if not user.is_authenticated:
        return None
    session = getattr(request, "session", None)
    if session is not None and session.session_key and session.get(SESSION_KEY) == str(user.pk):
        return access.credential(
            "session", session.session_key
        ), session.get_expiry_date().timestamp()
    scheme, _sep, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() in ("token", "bearer") and key.strip():
        return access.credential("token", key.strip()), None
    return None


def tile_response(request, tile: service.Tile) -> HttpResponse:
    key = tile.key
    if _not_modified(request, key.etag):
        return _cache_headers(HttpResponse(status=304), key.etag, key.public)
    if not tile.data:
        return _cache_headers(HttpResponse(status=204), key.etag, key.public)
    if conf.ACCEL_REDIRECT and tile.path is not None and not key.public:
        # nginx sends the cached file (access was checked above); Content-Type comes from here.
        response = HttpResponse(content_type=tile.media_type)
        response["X-Accel-Redirect"] = conf.ACCEL_REDIRECT + key.relpath
    else:
        body, extra = cache.encode(tile.data, key.kind, request.headers.get("Accept-Encoding", ""))
        response = HttpResponse(body, content_type=tile.media_type)
        for name, value in extra:
            if name == "Vary":
                patch_vary_headers(response, [value])
            else:
                response[name] = value
    return _cache_headers(response, key.etag, key.public)


@problems
def vector_tile(request, layers: str, z: str, x: str, y: str):
    zi, xi, yi = service.parse_tile_path(z, x, y)
    tile = service.vector_tile(request.user, layers, zi, xi, yi, credential(request))
    return tile_response(request, tile)


@problems
def raster_tile(request, layer: str, z: str, x: str, y: str):
    zi, xi, yi = service.parse_tile_path(z, x, y)
    tile = service.raster_tile(request.user, layer, zi, xi, yi, credential(request))
    return tile_response(request, tile)


@problems
def tilejson(request, layers: str):
    chosen = service.resolve_layers(request.user, layers)
    key = service.tile_key(chosen, "json", 0, 0, 0)
    if _not_modified(request, key.etag):
        return _cache_headers(HttpResponse(status=304), key.etag, key.public)
    body = build_tilejson(chosen, request.build_absolute_uri("/"), layers)
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    return _cache_headers(response, key.etag, key.public)


@problems
def raster_tilejson(request, layer: str):
    chosen = service.resolve_layers(request.user, layer)
    if not chosen[0].is_raster:
        raise PortalError(
            _("Шар %(slug)s не растровий") % {"slug": layer}, status=404, code="not-a-raster-layer"
        )
    return tilejson(request, layer)


@problems
def unknown(request, rest: str):
    raise PortalError(
        _("Немає такої адреси тайлів: /tiles/%(path)s") % {"path": rest[:200]},
        status=404,
        code="not-found",
    )
