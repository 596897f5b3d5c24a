"""Rate limits hold for the whole server, not per worker process: a burst from one client
across fresh connections to three gunicorn workers is limited once, with Retry-After, on the
heavy-request bucket and on report intake (whose charge is not undone when the report fails)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from geoportal.ops.localserver import gunicorn
from tests.conftest import server_env

pytestmark = pytest.mark.django_db

BURST = 6  # tokens of each bucket on the test server; refill is slow enough to add none
GETFEATURE = {
    "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
    "TYPENAMES": "bus-stops", "RESULTTYPE": "results",
}  # fmt: skip


@pytest.fixture(scope="module")
def three_workers(django_db_setup, demo_layers):
    env = server_env()
    env.update(
        GEOPORTAL_HEAVY_BURST=str(BURST), GEOPORTAL_HEAVY_PER_MINUTE="0.01",
        GEOPORTAL_REPORTS_IP_BURST=str(BURST), GEOPORTAL_REPORTS_IP_PER_MINUTE="0.01",
    )  # fmt: skip
    with gunicorn(env, workers=3, threads=1, timeout=60) as url:
        yield url


def fresh_get(url: str, **params) -> requests.Response:
    with requests.Session() as one:  # a new connection: the kernel hands it to any worker
        return one.get(url, params=params, headers={"Connection": "close"}, timeout=60)


def fresh_post(url: str, **data) -> requests.Response:
    with requests.Session() as one:
        return one.post(url, json=data, headers={"Connection": "close"}, timeout=60)


def burst(call, n: int) -> list[int]:
    """``n`` calls from three threads at once, so every worker gets some of them."""
    with ThreadPoolExecutor(3) as pool:
        return [r.status_code for r in pool.map(lambda _: call(), range(n))]


def assert_refused(response: requests.Response) -> None:
    assert response.status_code == 429, response.text[:300]
    assert 1 <= int(response.headers["Retry-After"]) <= 6000  # one token per 6000 s


def test_heavy_burst_is_limited_across_workers(three_workers, fresh_buckets):
    statuses = burst(lambda: fresh_get(f"{three_workers}/wfs", **GETFEATURE), BURST)
    assert statuses == [200] * BURST
    assert_refused(fresh_get(f"{three_workers}/wfs", **GETFEATURE))
    assert_refused(fresh_get(f"{three_workers}/wfs", **GETFEATURE))  # still, on any worker


def test_report_intake_burst_is_limited_across_workers(three_workers, fresh_buckets):
    """Rejected submissions (no category) spend a token too: the charge is taken and committed
    before the report is validated and saved, so failing saves are no way around the limit."""
    url = f"{three_workers}/api/v1/reports"
    statuses = burst(lambda: fresh_post(url, description="x"), BURST)
    assert statuses == [400] * BURST
    refused = fresh_post(url, description="x")
    assert_refused(refused)
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == "rate-limited"
