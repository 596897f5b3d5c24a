"""The area tool in a real browser (system chromium): a double click or "Завершити" finishes
it (no stray point from the double click's two clicks), a point that would make the outline
cross itself is refused, and areas are written with the decimal comma in Ukrainian."""

from __future__ import annotations

import math
import re

import pytest

from .conftest import open_map, screen_point

pytestmark = [pytest.mark.django_db, pytest.mark.browser]
LAT, LON = 48.1100, 32.7640
D = 0.0010  # degrees: a ~74 m x 111 m rectangle


@pytest.fixture
def demo(demo_layers):
    if "streets" not in demo_layers:
        pytest.skip("needs the demo hromada")
    return demo_layers


def _click(page, lat, lon):
    page.mouse.click(*screen_point(page, lat, lon))
    page.wait_for_timeout(450)  # slower than a double click


def _area_m2(text: str) -> float:
    """'Площа: 8 234 м²' or 'Площа: 1,234 га' (uk) as square metres."""
    m = re.search(r"Площа: ([\d\s\u00a0\u202f]+(?:,\d+)?) (м²|га)", text)
    assert m, text
    value = float(re.sub(r"[\s\u00a0\u202f]", "", m[1]).replace(",", "."))
    return value * (10000 if m[2] == "га" else 1)


def _expected_m2() -> float:
    return (D * 111320 * math.cos(math.radians(LAT + D / 2))) * (D * 110574)


def test_double_click_finishes_with_decimal_comma(portal_server, new_page, demo):
    p = new_page(width=1440, height=900)
    open_map(p.page, portal_server, f"#map=17/{LAT + D / 2}/{LON + D / 2}&layers=streets")
    p.page.click('button[data-tool="area"]')
    for lat, lon in ((LAT, LON), (LAT, LON + D), (LAT + D, LON + D)):
        _click(p.page, lat, lon)
    p.page.mouse.dblclick(*screen_point(p.page, LAT + D, LON))
    p.page.wait_for_timeout(400)
    assert p.page.get_attribute('button[data-tool="area"]', "aria-pressed") == "false"
    text = p.page.inner_text("#tool-output")
    assert abs(_area_m2(text) - _expected_m2()) / _expected_m2() < 0.03, text
    assert "." not in text.split(":")[1], text  # no decimal point in Ukrainian
    assert p.page.locator("#tool-finish").count() == 0
    _click(p.page, LAT - D, LON)  # the next click no longer draws
    assert _area_m2(p.page.inner_text("#tool-output")) == pytest.approx(_area_m2(text))
    assert not p.errors, p.errors


def test_finish_button_and_no_self_intersection(portal_server, new_page, demo):
    p = new_page(width=1440, height=900)
    open_map(p.page, portal_server, f"#map=17/{LAT + D / 2}/{LON + D / 2}&layers=streets")
    p.page.click('button[data-tool="area"]')
    # a bow tie: the fourth point's edges would cross the first edge
    for lat, lon in ((LAT, LON), (LAT + D, LON + D), (LAT, LON + D)):
        _click(p.page, lat, lon)
    before = p.page.inner_text("#tool-output")
    _click(p.page, LAT + D, LON)
    refused = p.page.inner_text("#tool-output")
    assert "перетнула б контур" in refused, refused
    _click(p.page, LAT - D, LON + D / 2)  # below the first edge instead: a simple outline
    assert "Площа:" in p.page.inner_text("#tool-output")
    p.page.click("#tool-finish")
    assert p.page.get_attribute('button[data-tool="area"]', "aria-pressed") == "false"
    assert "Площа:" in p.page.inner_text("#tool-output") and before
    assert not p.errors, p.errors
