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


@pytest.mark.parametrize("language", ["uk", "en"])
def test_condition_layers_are_drawn_and_legended_by_state(portal_server, new_page, language):
    """The web map colours the lighting layer by lamp state and the road layer by condition,
    with one legend entry per state in the page's language (they drew in one colour before)."""
    p = new_page(width=1440, height=900, locale="en-GB" if language == "en" else "uk-UA")
    page = p.page
    page.goto(f"{portal_server}/" if language == "uk" else f"{portal_server}/?lang=en")
    wait_ready(page, "map")
    result = page.evaluate(
        """async (language) => {
          const styles = await import('/static/webmap/styles.js');
          const layers = await (await fetch('/api/v1/layers/', {headers: {Accept: 'application/json'}})).json();
          const list = Array.isArray(layers) ? layers : (layers.results || layers.layers);
          const roles = window.geoportalApp.webmap.config.roles;
          const out = {};
          for (const slug of ['lighting-condition', 'road-condition']) {
            const layer = list.find((l) => l.slug === slug);
            const st = styles.vectorStyle(layer, roles);
            out[slug] = {kind: st.kind, field: st.categories && st.categories.field,
                         legend: styles.legendEntries(layer, roles, language).map((e) => e.label)};
          }
          return out;
        }""",
        language,
    )
    lamps, roads = result["lighting-condition"], result["road-condition"]
    assert (lamps["kind"], lamps["field"]) == ("point", "state")
    assert (roads["kind"], roads["field"]) == ("line", "condition")
    assert len(lamps["legend"]) == 5 and len(roads["legend"]) == 4
    assert ("working" if language == "en" else "працює") in lamps["legend"]
    assert not p.errors, p.errors
