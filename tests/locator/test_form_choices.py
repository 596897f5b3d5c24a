"""The report form shows an unsure locator answer as its question with labelled choices
(headless Chromium over the live portal); screenshots for a phone and a desktop."""

import pytest

from tests.webmap.conftest import wait_ready

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("width, height", [(390, 844), (1440, 900)])
def test_ambiguous_pole_is_asked_as_a_question(registry, portal_server, new_page, artifacts_dir,
                                               width, height):  # fmt: skip
    p = new_page(width=width, height=height, locale="uk-UA")
    p.page.goto(f"{portal_server}/reports/new/", wait_until="domcontentloaded")
    wait_ready(p.page, "report-form")
    p.page.fill("#location-text", "опора 17 не світить")
    p.page.click("#locate-button")
    p.page.wait_for_selector("#locate-result ul.candidates button", timeout=30000)
    hint = p.page.inner_text("#locate-result .hint")
    assert "?" in hint  # the locator's question ("На якій вулиці?" or the like)
    buttons = p.page.locator("#locate-result ul.candidates button").all_inner_texts()
    assert 2 <= len(buttons) <= 5 and len(set(buttons)) == len(buttons), buttons
    p.page.locator("#locate-result ul.candidates button").first.click()
    assert (
        p.page.locator("#locate-result ul.candidates button").first.get_attribute("aria-pressed")
        == "true"
    )
    p.page.locator("#locate-result").scroll_into_view_if_needed()
    p.page.screenshot(path=str(artifacts_dir / f"report-form-choices-{width}.png"))
    assert p.errors == []
