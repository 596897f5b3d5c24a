"""Output encoding that holds for any stored text, whatever reached the database before
intake refused it: spreadsheet cells that cannot run as formulas, text XML can carry."""

from __future__ import annotations

from .validation import strip_control

__all__ = ["spreadsheet_cell", "xml_text"]

# OWASP "CSV Injection": a cell beginning with one of these is a formula (or becomes one after
# Excel/LibreOffice strip a leading tab or carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """``value`` for a CSV cell: text that would start a formula gets a leading apostrophe, as
    OWASP recommends (the cell then shows the text itself); numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xml_text(value: str) -> str:
    """``value`` without the control characters XML 1.0 cannot carry at all."""
    return strip_control(value)
