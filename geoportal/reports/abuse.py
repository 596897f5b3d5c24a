"""Abuse guards of report intake: the ban list and token buckets per IP address, per account
and per Open311 key (the same bucket as core.ratelimit, keyed and sized for reports).

The honeypot is checked in intake (a field error like any other)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PortalError
from core.ratelimit import RateLimited, take

from . import conf
from .models import BannedSender

__all__ = ["Banned", "check_ban", "charge_report"]


class Banned(PortalError):
    status = 403
    code = "banned"


def charge_report(ip: str | None, user=None, api_key=None) -> None:
    """Charge one new report to the caller's buckets; raise RateLimited (429) when empty."""
    buckets = []
    if api_key is not None:
        buckets.append((f"reports:key:{api_key.pk}", conf.API_KEY_BURST, conf.API_KEY_PER_MINUTE))
    else:
        buckets.append((f"reports:ip:{ip}", conf.IP_BURST, conf.IP_PER_MINUTE))
    if user is not None and user.is_authenticated:
        buckets.append((f"reports:user:{user.pk}", conf.ACCOUNT_BURST, conf.ACCOUNT_PER_MINUTE))
    for key, capacity, per_minute in buckets:
        wait = take(key, capacity, per_minute / 60.0)
        if wait is not None:
            raise RateLimited(
                _("Забагато повідомлень за короткий час. Повторіть за %(s)s с.") % {"s": wait},
                retry_after=wait,
            )


def check_ban(ip: str | None, email: str = "", user=None) -> None:
    """Raise Banned (403) when the IP address, e-mail or account is on the ban list."""
    match = Q(kind=BannedSender.Kind.IP, value=ip or "")
    if email:
        match |= Q(kind=BannedSender.Kind.EMAIL, value__iexact=email.strip())
    if user is not None and user.is_authenticated:
        match |= Q(kind=BannedSender.Kind.USER, value=user.get_username())
    active = Q(until__isnull=True) | Q(until__gt=timezone.now())
    if BannedSender.objects.filter(match).filter(active).exists():
        raise Banned(_("Повідомлення від цього відправника не приймаються."))
