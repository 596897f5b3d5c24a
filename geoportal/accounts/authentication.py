"""DRF authentication of the residents' endpoints (reports, confirm, subscribe, locate), with
the portal's CSRF policy for API writes.

The user is the one geoportal.accounts.middleware found: a session cookie, an API token or HTTP
Basic credentials. The policy (docs/security.md):
- a write (POST, PUT, PATCH, DELETE) made with a session cookie must carry Django's CSRF token
  (the X-CSRFToken header the pages' scripts send), as DRF's SessionAuthentication checks;
- token and Basic clients are exempt (they are not browsers: the middleware marks them);
- an anonymous write must not come from a foreign Origin (a browser always sends Origin on a
  cross-site POST; curl, GIS clients and Open311 integrations send none), so another site
  cannot make a visitor's browser confirm or subscribe on their behalf.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import PermissionDenied

__all__ = ["PortalUser", "check_write_origin"]

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class _CSRFCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason  # the reason, instead of Django's HTML 403 page


def _own_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def check_write_origin(request) -> None:
    """Refuse a write whose Origin header names another site (PermissionDenied, 403)."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null" and not request.COOKIES:
        return
    if origin == _own_origin(request) or origin in settings.CSRF_TRUSTED_ORIGINS:
        return
    raise PermissionDenied(
        _("Запит з іншого сайту відхилено (Origin %(o)s).") % {"o": origin[:100]}
    )


class PortalUser(BaseAuthentication):
    """The user the portal's middleware found (session, token or Basic), with the CSRF policy
    of this module's docstring for writes."""

    def authenticate(self, request):
        django_request = request._request
        user = getattr(django_request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if request.method not in SAFE_METHODS and not getattr(
            django_request, "_dont_enforce_csrf_checks", False
        ):
            if signed_in:
                self._enforce_csrf(django_request)
            else:
                check_write_origin(django_request)
        return (user, None) if signed_in else None

    @staticmethod
    def _enforce_csrf(request) -> None:
        check = _CSRFCheck(lambda r: None)
        check.process_request(request)  # reads the CSRF cookie into request.META
        reason = check.process_view(request, None, (), {})
        if reason:
            raise PermissionDenied(_("Немає токена CSRF: %(r)s") % {"r": reason})
