"""Typed errors and the one path that turns them into responses.

A ``PortalError`` carries its HTTP status, a machine-readable code and, where it has one, the
seconds to wait (``retry_after``). Views raise it and never build error responses themselves:
``to_response()`` renders it, and it is called from two places only, ``ErrorMiddleware`` (plain
Django views) and ``api_exception_handler`` (DRF views). How the error is written depends on
the API the view belongs to: problem+json (RFC 9457) by default, the OWS ExceptionReport for
OGC web services, and any format a package above registers with ``register_renderer`` (Open311
registers its own). A view names its format with ``@error_format("ows")`` or a class attribute
``error_format``. Every 429 and 503 carries Retry-After.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework.views import exception_handler

from . import conf

__all__ = [
    "ErrorMiddleware",
    "NotFound",
    "PortalError",
    "RateLimited",
    "ServiceUnavailable",
    "api_exception_handler",
    "error_format",
    "problem_response",
    "register_renderer",
    "to_response",
]

log = logging.getLogger(__name__)


class PortalError(Exception):
    """An error a client caused (or may retry); ``status`` and ``code`` travel with it.

    ``extra`` fields are part of the error body (``errors`` for field errors, ``candidates``,
    ``retry_after``, ``locator`` for the OWS renderer's locator attribute)."""

    status = 400
    code = "bad-request"

    def __init__(self, detail: str, *, status: int | None = None, code: str | None = None, **extra):
        super().__init__(detail)
        self.detail = detail
        if status:
            self.status = status
        if code:
            self.code = code
        self.extra = extra

    @property
    def retry_after(self) -> int | None:
        value = self.extra.get("retry_after")
        if value is None and self.status in (429, 503):
            return conf.RETRY_AFTER if self.status == 503 else 60
        return value


class NotFound(PortalError):
    status = 404
    code = "not-found"


class RateLimited(PortalError):
    status = 429
    code = "rate-limited"


class ServiceUnavailable(PortalError):
    status = 503
    code = "service-unavailable"


Renderer = Callable[[PortalError, "HttpRequest | None"], HttpResponse]
_RENDERERS: dict[str, Renderer] = {}
DEFAULT_FORMAT = "problem"


def register_renderer(name: str, renderer: Renderer) -> None:
    """Make ``renderer`` write the errors of views whose error format is ``name``."""
    _RENDERERS[name] = renderer


def error_format(name: str):
    """Decorator: errors raised by this view are rendered in format ``name``."""

    def decorate(view):
        view.error_format = name
        return view

    return decorate


def _format_for(request: HttpRequest | None) -> str:
    match = getattr(request, "resolver_match", None)
    view = getattr(match, "func", None)
    view = getattr(view, "view_class", view)
    return getattr(view, "error_format", None) or DEFAULT_FORMAT


def to_response(exc: PortalError, request: HttpRequest | None = None, fmt: str | None = None):
    """The response for ``exc`` in the format of the view ``request`` was routed to."""
    renderer = _RENDERERS.get(fmt or _format_for(request), _RENDERERS[DEFAULT_FORMAT])
    response = renderer(exc, request)
    retry = exc.retry_after
    if retry is not None and response.status_code in (429, 503):
        response["Retry-After"] = str(retry)
    return response


def problem_response(status: int, title: str, detail: str, code: str, **extra) -> JsonResponse:
    body = {
        "type": f"about:blank#{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    body.update(extra)
    return JsonResponse(
        body,
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _problem(exc: PortalError, request) -> HttpResponse:
    return problem_response(exc.status, exc.code, exc.detail, exc.code, **exc.extra)


# OWS 1.1 exception codes (OGC 06-121r9, WFS 2.0 table 3) for the statuses a PortalError has.
OWS_CODES = {400: "InvalidParameterValue", 404: "NotFound", 403: "OperationProcessingFailed"}


def _ows(exc: PortalError, request) -> HttpResponse:
    code = exc.extra.get("ows_code") or OWS_CODES.get(exc.status, "OperationProcessingFailed")
    locator = exc.extra.get("locator")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0"'
        f" xml:lang={quoteattr(get_language() or 'uk')}>\n"
        f"  <ows:Exception exceptionCode={quoteattr(code)}"
        + (f" locator={quoteattr(str(locator))}" if locator else "")
        + f">\n    <ows:ExceptionText>{escape(exc.detail)}</ows:ExceptionText>\n"
        "  </ows:Exception>\n</ows:ExceptionReport>\n"
    )
    return HttpResponse(body, status=exc.status, content_type="text/xml; charset=utf-8")


register_renderer(DEFAULT_FORMAT, _problem)
register_renderer("ows", _ows)


def from_database_error(exc: Exception) -> PortalError | None:
    """The client-facing error for a database exception, or None when it is a defect.

    A value PostgreSQL cannot take for its column type (DataError: "abc" for a number, an
    out-of-range date from a client's filter) is the client's 400; a database that cannot be
    reached (restart, failover, exhausted connections) is a 503 to retry, never a trace."""
    if isinstance(exc, DataError):
        return PortalError(_("Значення не відповідає типу поля."), code="invalid-value")
    if isinstance(exc, (OperationalError, InterfaceError)):
        log.warning("database unavailable: %s", type(exc).__name__, exc_info=exc)
        return ServiceUnavailable(
            _("База даних тимчасово недоступна. Спробуйте ще раз за хвилину."),
            code="database-unavailable",
        )
    return None


class ErrorMiddleware:
    """Innermost middleware: a PortalError or database error escaping a view is rendered by
    ``to_response`` in the view's error format."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PortalError):
            exception = from_database_error(exception)
            if exception is None:
                return None
        return to_response(exception, request)


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: PortalErrors through ``to_response``, DRF's own as DRF does."""
    if not isinstance(exc, PortalError):
        exc = from_database_error(exc) or exc
    if isinstance(exc, PortalError):
        return to_response(exc, context.get("request"))
    return exception_handler(exc, context)
