"""The budget map and the outages page in Chromium (phone uk-UA and desktop): they start,
draw their data, and answer as residents use them (a filter changes the totals; an address
affected by the demo's water outage says so). Screenshots in test-artifacts/."""

import pytest

from tests.webmap.conftest import wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("registers")]
SIZES = [(390, 844), (1440, 900)]


@pytest.mark.parametrize("size", SIZES)
def test_budget_map(portal_server, new_page, artifacts_dir, size):
    p = new_page(width=size[0], height=size[1])
    page = p.page
    page.goto(f"{portal_server}/budget/")
    wait_ready(page, "budget")
    rows = page.locator("#budget-totals tbody tr").count()
    cards = page.locator("#budget-list li").count()
    assert rows > 1 and cards == 28
    assert page.locator("#budget-map .budget-project").count() == 28
    page.select_option("select[name=status]", "completed")
    page.wait_for_function("document.querySelectorAll('#budget-list li').length < 28")
    shown = page.locator("#budget-list li").count()
    total = page.inner_text("#budget-totals tfoot td.num")
    assert int(total) == shown > 0
    page.screenshot(path=str(artifacts_dir / f"conditions-budget-{size[0]}.png"), full_page=True)
    assert not p.errors, p.errors


@pytest.mark.parametrize("size", SIZES)
def test_outages_page(portal_server, new_page, artifacts_dir, size):
    p = new_page(width=size[0], height=size[1])
    page = p.page
    page.goto(f"{portal_server}/outages/")
    wait_ready(page, "outages")
    assert "водопостачання" in page.inner_text("#outages-now")
    assert "електропостачання" in page.inner_text("#outages-planned")
    assert "Планові роботи (завершено)" not in page.inner_text("main")  # ended: not shown
    page.fill("#address", "вулиця Тополина, 5")
    page.click("#address-form button")
    page.wait_for_selector("#address-answer.yes")
    assert "Заплановано" in page.inner_text("#address-answer")
    page.screenshot(path=str(artifacts_dir / f"conditions-outages-{size[0]}.png"), full_page=True)
    assert not p.errors, p.errors
