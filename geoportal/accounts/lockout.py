"""What a locked-out login gets (django-axes's AXES_LOCKOUT_CALLABLE): the login page again,
the admin's or the portal's, with the lockout message, as 429 with Retry-After. API and basic
auth callers already have their 429 from accounts.middleware (``RateLimited``), kept as it is."""

from __future__ import annotations

import math

from axes.helpers import get_client_username, get_cool_off
from django.contrib import admin
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.shortcuts import render
from django.utils.translation import gettext as _

__all__ = ["cool_off_seconds", "lockout_message", "lockout_response"]


def cool_off_seconds(request=None) -> int:
    """Seconds until a locked-out username+IP may try again: a whole cool-off, since every
    attempt during the lockout starts it anew (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT)."""
    delta = get_cool_off(request)
    return math.ceil(delta.total_seconds()) if delta else 24 * 3600


def lockout_message(seconds: int) -> str:
    return _("Забагато невдалих спроб входу. Спробуйте знову за %(m)s хв.") % {
        "m": math.ceil(seconds / 60)
    }


def lockout_response(request, original_response=None, credentials=None):
    if request.META.get("HTTP_AUTHORIZATION") and original_response is not None:
        return original_response
    seconds = cool_off_seconds(request)
    message = lockout_message(seconds)
    form = AuthenticationForm(request, data={"username": get_client_username(request, credentials)})
    form.cleaned_data = {}
    form._errors = ErrorDict({"__all__": form.error_class([message], error_class="nonfield")})
    match = getattr(request, "resolver_match", None)
    if match is not None and match.app_name == "admin":
        context = {**admin.site.each_context(request), "form": form, "title": _("Log in")}
        context["app_path"] = request.get_full_path()
        response = render(request, "admin/login.html", context, status=429)
    else:
        context = {"form": form, "lockout": message, "next": request.POST.get("next", "")}
        response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
