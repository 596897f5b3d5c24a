"""Authenticate API tokens on every path, not only DRF views.

GIS clients cannot log in through a form: OWSLib, GDAL and QGIS send either
``Authorization: Token <key>`` / ``Bearer <key>`` (GDAL: GDAL_HTTP_HEADERS) or HTTP basic auth
with username and password (GDAL_HTTP_USERPWD, QGIS's basic authentication).
"""

from __future__ import annotations

import base64
import binascii

from django.contrib.auth import authenticate
from django.utils.functional import SimpleLazyObject


def _user_from_header(header: str):
    scheme, _, credentials = header.partition(" ")
    scheme = scheme.lower()
    if scheme in ("token", "bearer") and credentials:
        from rest_framework.authtoken.models import Token

        token = Token.objects.select_related("user").filter(key=credentials.strip()).first()
        if token and token.user.is_active:
            return token.user
    elif scheme == "basic" and credentials:
        try:
            decoded = base64.b64decode(credentials.strip()).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, _, password = decoded.partition(":")
        return authenticate(username=username, password=password)
    return None


class TokenAuthenticationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header and not request.user.is_authenticated:
            session_user = request.user

            def resolve():
                return _user_from_header(header) or session_user

            request.user = SimpleLazyObject(resolve)
            # Token clients are not browsers: CSRF does not apply to them.
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
