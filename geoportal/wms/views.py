"""WMS 1.3.0 at /wms: the portal decides who sees which layers (layers.access), MapServer's
OWS dispatcher (mapscript) answers GetCapabilities, GetMap, GetFeatureInfo, GetLegendGraphic
and GetStyles (SLD) over a map of only those layers, so an invisible layer is as unknown to
the caller as a misspelt one."""

from __future__ import annotations

import math
import threading

import mapscript
from django.http import HttpResponse
from django.views import View

from core.errors import PortalError
from layers.access import visible_layers

from . import conf
from .mapfile import map_for

__all__ = ["WMSView"]

_lock = threading.Lock()  # msIO's stdout buffer is per thread; the guard is for mapObj.clone
NUMERIC = ("WIDTH", "HEIGHT", "I", "J", "X", "Y", "FEATURE_COUNT")


def _check(params: dict) -> None:
    for key in NUMERIC:
        if key in params and not params[key].strip().isdigit():
            raise PortalError(
                f"{key} must be a non-negative integer.",
                locator=key,
                ows_code="InvalidParameterValue",
            )
    for key in ("WIDTH", "HEIGHT"):
        if key in params and int(params[key]) > conf.MAX_SIZE:
            raise PortalError(
                f"{key} is larger than {conf.MAX_SIZE}.",
                locator=key,
                ows_code="InvalidParameterValue",
            )
    if "BBOX" in params:
        try:
            box = [float(v) for v in params["BBOX"].split(",")]
        except ValueError:
            box = []
        if len(box) != 4 or not all(math.isfinite(v) for v in box):
            raise PortalError(
                "BBOX must be four finite numbers.",
                locator="BBOX",
                ows_code="InvalidParameterValue",
            )
    if any(ch < " " for value in params.values() for ch in value):
        raise PortalError("Control characters are not accepted.", ows_code="InvalidParameterValue")


def dispatch(mapobj, params: dict) -> tuple[bytes, str]:
    request = mapscript.OWSRequest()
    for key, value in params.items():
        request.setParameter(key, value)
    mapscript.msIO_installStdoutToBuffer()
    try:
        try:
            mapobj.OWSDispatch(request)
        except mapscript.MapServerError as exc:  # the exception report is in the buffer too
            error = str(exc).splitlines()[0]
        else:
            error = None
        body = mapscript.msIO_getStdoutBufferBytes()
    finally:
        mapscript.msIO_resetHandlers()
        mapscript.msResetErrorList()
    if error and not body:
        raise PortalError(error, ows_code="OperationProcessingFailed")
    return split_headers(body)


def split_headers(raw: bytes) -> tuple[bytes, str]:
    """MapServer's CGI-style output: header lines (Content-Type, and Content-Disposition for
    OGR formats), a blank line, the body."""
    content_type = "text/xml"
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep or not head.lower().startswith(b"content-"):
        return raw, content_type
    for line in head.split(b"\r\n"):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-type":
            content_type = value.strip()
    return body, content_type


class WMSView(View):
    error_format = "ows"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        params = {k.upper(): v for k, v in request.GET.items()}
        params.setdefault("SERVICE", "WMS")
        _check(params)
        layers = list(
            visible_layers(request.user)
            .select_related("metadata")
            .order_by("-is_basemap", "category", "sort_order", "title_uk")
        )
        base_url = request.build_absolute_uri("/").rstrip("/")
        with _lock:
            mapobj = map_for(layers, base_url).clone()
        body, content_type = dispatch(mapobj, params)
        response = HttpResponse(body, content_type=content_type)
        response["Cache-Control"] = (
            "private, max-age=60" if request.user.is_authenticated else "public, max-age=300"
        )
        return response
