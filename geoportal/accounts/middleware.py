"""Authenticate API tokens and HTTP basic auth on every path, not only DRF views.

GIS clients cannot log in through a form: OWSLib, GDAL and QGIS send either
``Authorization: Token <key>`` / ``Bearer <key>`` (GDAL: GDAL_HTTP_HEADERS) or HTTP basic auth
with username and password (GDAL_HTTP_USERPWD, QGIS's basic authentication).

Wrong credentials are refused, never taken for an anonymous caller: the first look at
``request.user`` (in the view, so the error is in the view's own format) raises
``Unauthorized`` (401, and this middleware adds ``WWW-Authenticate: Basic realm="geoportal"``).
Basic auth goes through ``authenticate(request=...)``, so django-axes counts its failures like
the login forms'; a username+IP that is locked out gets ``RateLimited`` (429, Retry-After).
"""

from __future__ import annotations

import base64
import binascii

from django.contrib.auth import authenticate
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.errors import PortalError, RateLimited

from .lockout import cool_off_seconds, lockout_message

__all__ = ["CHALLENGE", "TokenAuthenticationMiddleware", "Unauthorized"]

CHALLENGE = 'Basic realm="geoportal"'


class Unauthorized(PortalError):
    status = 401
    code = "unauthorized"


def _token_user(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key.strip()).first()
    if token is None or not token.user.is_active:
        raise Unauthorized(_("Неправильний або недійсний токен."))
    return token.user


def _basic_user(request, credentials: str):
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Unauthorized(_("Пошкоджені облікові дані HTTP Basic.")) from None
    username, colon, password = decoded.partition(":")
    if not colon or not username:
        raise Unauthorized(_("Пошкоджені облікові дані HTTP Basic."))
    user = authenticate(request=request, username=username, password=password)
    if user is not None:
        return user
    if getattr(request, "axes_locked_out", False):
        seconds = cool_off_seconds(request)
        raise RateLimited(lockout_message(seconds), retry_after=seconds)
    raise Unauthorized(_("Неправильне ім'я користувача або пароль."))


def _user_from_header(request, header: str):
    """The user the header names; None for a scheme that is not ours (left to others)."""
    scheme, _sep, credentials = header.partition(" ")
    scheme = scheme.lower()
    if scheme in ("token", "bearer"):
        return _token_user(credentials)
    if scheme == "basic":
        return _basic_user(request, credentials)
    return None


class TokenAuthenticationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header and not request.user.is_authenticated:
            session_user = request.user
            outcome = {}

            def resolve():
                if "refused" in outcome:  # raised once (in the view); later looks: anonymous
                    return session_user
                try:
                    return _user_from_header(request, header) or session_user
                except PortalError:
                    outcome["refused"] = True
                    raise

            request.user = SimpleLazyObject(resolve)
            # Token clients are not browsers: CSRF does not apply to them.
            request._dont_enforce_csrf_checks = True
            response = self.get_response(request)
            try:  # settle it here, so no later middleware (the access log) meets the error
                request.user.is_authenticated  # noqa: B018 -- evaluates the lazy user
            except PortalError:
                pass  # the view never looked at the user: it answered as to anyone
            if outcome and response.status_code == 401 and "WWW-Authenticate" not in response:
                response["WWW-Authenticate"] = CHALLENGE
            return response
        return self.get_response(request)
