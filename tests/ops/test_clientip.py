"""client_ip: REMOTE_ADDR unless the peer is a trusted proxy, then the right-most X-Forwarded-For
entry that is not a trusted proxy (so a client cannot pick its own address)."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from core import conf
from core.clientip import client_ip

NGINX = "172.28.0.10"


def request(remote=NGINX, xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_nginx(monkeypatch):
    monkeypatch.setattr(conf, "TRUSTED_PROXIES", ["172.28.0.0/24", "10.20.0.5"])


def test_no_proxy_configured_ignores_forwarded_for(monkeypatch):
    monkeypatch.setattr(conf, "TRUSTED_PROXIES", [])
    assert client_ip(request("203.0.113.9", xff="198.51.100.1")) == "203.0.113.9"
    assert client_ip(request(NGINX, xff="198.51.100.1")) == NGINX


def test_untrusted_peer_cannot_spoof(behind_nginx):
    assert client_ip(request("203.0.113.9", xff="198.51.100.1")) == "203.0.113.9"


def test_trusted_proxy_gives_right_most_untrusted_entry(behind_nginx):
    assert client_ip(request(xff="198.51.100.1")) == "198.51.100.1"
    # The client wrote "1.2.3.4" itself; nginx appended the address it saw.
    assert client_ip(request(xff="1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    assert client_ip(request(xff="2001:db8::1")) == "2001:db8::1"


def test_chain_of_trusted_proxies(behind_nginx):
    # client -> load balancer 10.20.0.5 -> nginx: nginx's header ends with the balancer.
    assert client_ip(request(xff="1.2.3.4, 198.51.100.1, 10.20.0.5")) == "198.51.100.1"
    assert client_ip(request("::ffff:172.28.0.10", xff="198.51.100.1")) == "198.51.100.1"


def test_garbage_and_missing_header(behind_nginx):
    assert client_ip(request(xff="198.51.100.1, not-an-ip, ")) == "198.51.100.1"
    assert client_ip(request(xff="<script>, 999.1.1.1")) == NGINX
    assert client_ip(request(xff="")) == NGINX
    assert client_ip(request()) == NGINX
    assert client_ip(request(xff="10.20.0.5")) == NGINX  # only proxies: the peer is all we know


def test_missing_remote_addr(behind_nginx):
    r = RequestFactory().get("/")
    del r.META["REMOTE_ADDR"]
    assert client_ip(r) is None


def test_setting_from_django_settings_and_bad_entry(monkeypatch):
    try:
        with override_settings(GEOPORTAL_TRUSTED_PROXIES="172.28.0.0/24, 10.20.0.5"):
            importlib.reload(conf)
            assert conf.TRUSTED_PROXIES == ["172.28.0.0/24", "10.20.0.5"]
            assert client_ip(request(xff="198.51.100.1")) == "198.51.100.1"
    finally:
        importlib.reload(conf)
    assert conf.TRUSTED_PROXIES == []
    monkeypatch.setattr(conf, "TRUSTED_PROXIES", ["nginx"])
    with pytest.raises(ImproperlyConfigured, match="GEOPORTAL_TRUSTED_PROXIES"):
        client_ip(request())
