"""Request middleware of the operations app.

- ``RequestLogMiddleware`` (outermost): takes the client's X-Request-ID (or makes one), returns
  it, and writes one access record per request to the ``geoportal.access`` logger with method,
  path, status, duration_ms and the caller's role.
- ``JSONGZipMiddleware``: Django's GZipMiddleware for JSON answers only (the layers API,
  GeoJSON features, labels; a phone's first map load carries ~45 KB of them): pages stay as they
  are, tiles come gzip'd from the tiles app and static files pre-compressed from whitenoise.
- ``PermissionsPolicyMiddleware``: the Permissions-Policy header (settings.PERMISSIONS_POLICY)
  on every response (Django's SecurityMiddleware has none; nginx adds the same to the tiles and
  static files it serves itself).

A view that cannot reach PostgreSQL answers 503 + Retry-After through core.errors'
ErrorMiddleware (core.errors.from_database_error), in the view's own error format.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.middleware.gzip import GZipMiddleware

from .logs import request_id_var

__all__ = ["JSONGZipMiddleware", "PermissionsPolicyMiddleware", "RequestLogMiddleware", "user_role"]

access_log = logging.getLogger("geoportal.access")
log = logging.getLogger(__name__)
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def user_role(user) -> str:
    """The caller's role for logs: anonymous, resident, staff, analyst or superuser."""
    from geoportal.accounts.roles import ANALYSTS

    if user is None or not user.is_authenticated:
        return "anonymous"
    if user.is_superuser:
        return "superuser"
    if user.is_staff:
        return "staff"
    if user.groups.filter(name=ANALYSTS).exists():
        return "analyst"
    return "resident"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _CLIENT_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _log(request, status: int, started: float) -> None:
        if not access_log.isEnabledFor(logging.INFO):
            return  # access log off: no role lookup (a group query for signed-in users)
        try:
            role = user_role(getattr(request, "user", None))
        except (OperationalError, InterfaceError):
            role = "unknown"  # the database is away: the 503 itself is what matters
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "status": status,
                # time to the response object; a streamed body keeps flowing after this
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "role": role,
            },
        )


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


JSON_TYPES = ("application/json", "application/geo+json", "application/problem+json")


class JSONGZipMiddleware(GZipMiddleware):
    """GZipMiddleware (Accept-Encoding, Vary, weak ETags, streaming) for JSON bodies only."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(JSON_TYPES):
            return response
        return super().process_response(request, response)
