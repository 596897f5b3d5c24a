"""Abuse guards over HTTP: rate limits per IP and per account, the ban list."""

import pytest

from geoportal.reports import conf
from geoportal.reports.models import BannedSender, Report

from .conftest import post_report

pytestmark = pytest.mark.django_db
OK = {"category": "other", "lat": 48.11, "lon": 32.764, "description": "Зламана лавка"}


def post(client, body=OK, **extra):
    return post_report(client, body, **extra)


def test_rate_limit_per_ip(client, monkeypatch):
    monkeypatch.setattr(conf, "IP_BURST", 3)
    codes = [post(client).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    r = post(client)
    assert r.status_code == 429 and r.json()["code"] == "rate-limited"
    assert int(r.json()["retry_after"]) > 0
    # the DRF path's 429 carries Retry-After like every other 429 (it had none before core.errors)
    assert r["Retry-After"] == str(r.json()["retry_after"])
    # Another address has its own bucket.
    assert post(client, REMOTE_ADDR="10.1.2.3").status_code == 201


def test_rate_limit_per_account_across_addresses(client, resident, monkeypatch):
    monkeypatch.setattr(conf, "ACCOUNT_BURST", 2)
    client.force_login(resident)
    codes = [post(client, REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]
    assert Report.objects.filter(user=resident).count() == 2


@pytest.mark.parametrize(
    "kind, value, extra, body",
    [
        ("ip", "10.9.9.9", {"REMOTE_ADDR": "10.9.9.9"}, OK),
        ("email", "spammer@example.org", {}, {**OK, "email": "SPAMMER@example.org"}),
    ],
)
def test_banned_sender_is_403_and_nothing_saved(client, kind, value, extra, body):
    BannedSender.objects.create(kind=kind, value=value, reason="spam")
    before = Report.objects.count()
    r = post(client, body, **extra)
    assert r.status_code == 403 and r.json()["code"] == "banned"
    assert Report.objects.count() == before


def test_banned_account(client, resident):
    BannedSender.objects.create(kind="user", value=resident.username)
    client.force_login(resident)
    assert post(client).status_code == 403


def test_expired_ban_no_longer_applies(client):
    from datetime import timedelta

    from django.utils import timezone

    BannedSender.objects.create(kind="ip", value="10.8.8.8",
                                until=timezone.now() - timedelta(days=1))  # fmt: skip
    assert post(client, REMOTE_ADDR="10.8.8.8").status_code == 201


def test_residents_behind_trusted_proxy_have_their_own_buckets(client, monkeypatch):
    from core import conf as ops_conf

    monkeypatch.setattr(conf, "IP_BURST", 1)
    monkeypatch.setattr(ops_conf, "TRUSTED_PROXIES", ["172.28.0.0/24"])
    nginx = {"REMOTE_ADDR": "172.28.0.10"}
    first = post(client, HTTP_X_FORWARDED_FOR="198.51.100.1", **nginx)
    assert first.status_code == 201
    assert Report.objects.get(pk=first.json()["id"]).ip == "198.51.100.1"
    # The same resident again is limited, even when claiming another address in front.
    again = post(client, HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.1", **nginx)
    assert again.status_code == 429
    assert post(client, HTTP_X_FORWARDED_FOR="198.51.100.2", **nginx).status_code == 201
