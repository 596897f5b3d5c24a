"""Fixtures of the locator tests: the landmark registry built once (committed) from the demo."""

import pytest


@pytest.fixture(scope="module")
def registry(django_db_setup, django_db_blocker, demo_layers):
    if "street-light-poles" not in demo_layers:
        pytest.skip("demo hromada not loaded (GEOPORTAL_TEST_NO_DEMO=1)")
    from geoportal.locator.registry import ensure_fresh

    with django_db_blocker.unblock():
        ensure_fresh(now=True)
    return demo_layers
