"""The staff login page: Django's LoginView, landing each role where it works."""

from __future__ import annotations

from django.contrib.auth.views import LoginView
from django.urls import reverse

from .roles import DISPATCHERS

__all__ = ["PortalLoginView", "landing_url"]


def landing_url(user) -> str:
    """Where ``user`` starts after signing in with no page of their own to go back to:
    dispatchers at the reports dashboard, everyone else on the map."""
    if user.is_staff and (user.is_superuser or user.groups.filter(name=DISPATCHERS).exists()):
        return reverse("reports-dashboard")
    return "/"


class PortalLoginView(LoginView):
    """A ``next`` of the map's front page ("/", the header's link there) is no preference: the
    user lands at ``landing_url``; any other safe ``next`` is kept."""

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if url == "/" else url

    def get_default_redirect_url(self):
        return landing_url(self.request.user)
