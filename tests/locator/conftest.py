"""Fixtures of the locator tests: the browser ones of tests/webmap for the report form."""

from tests.webmap.conftest import browser, new_page  # noqa: F401 (fixtures)
