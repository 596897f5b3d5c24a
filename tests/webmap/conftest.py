"""Helpers of the web-map browser tests (the browser fixtures are in tests/browser.py)."""

from tests.browser import (  # noqa: F401 -- re-exported for the test modules
    CHROMIUM,
    CHROMIUM_ARGS,
    Page,
    open_map,
    screen_point,
    wait_ready,
    wait_tiles,
)
