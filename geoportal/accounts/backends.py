"""The lockout backend: django-axes's check, first in AUTHENTICATION_BACKENDS, for every
authentication that comes with a request (the portal's login form, the admin's, and HTTP basic
auth through accounts.middleware). Programmatic logins without a request (the test client,
management commands) are not throttled: axes needs the caller's address to count."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend

__all__ = ["LockoutBackend"]


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
