"""The client's address as seen by the portal: the one place that decides it.

Behind a reverse proxy (deploy/nginx/geoportal.conf in front of gunicorn) REMOTE_ADDR is the
proxy, and every resident would share one rate-limit bucket, one confirmation per report and
one ban. ``client_ip`` trusts X-Forwarded-For only when the direct peer is one of
GEOPORTAL_TRUSTED_PROXIES, and then takes the right-most entry that is not a trusted proxy:
entries left of it were written by the client and can be anything. With no proxies
configured (the default) the header is ignored, so it cannot be spoofed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

from . import conf

__all__ = ["client_ip"]


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(x.strip(), strict=False) for x in trusted)
    except ValueError as exc:
        raise ImproperlyConfigured(f"GEOPORTAL_TRUSTED_PROXIES: {exc}") from exc


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.0.0.2 from a dual-stack socket
    return any(address in net for net in networks)


def client_ip(request) -> str | None:
    """The address of the client behind ``request``; None when the server gave none."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(conf.TRUSTED_PROXIES))
    peer = _address(remote) if remote and networks else None
    if peer is None or not _trusted(peer, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is not None and not _trusted(address, networks):
            return str(address)
    return remote  # only proxies (or nothing usable) in the header: the peer is all we know
