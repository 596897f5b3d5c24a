"""``{% load portal %}``: what the shared page header needs on every page: the hromada's name
in the current language, and which staff links a user gets (dashboard, desk, uploads, admin)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from core.conf import HROMADA

register = template.Library()


@register.simple_tag
def hromada_name() -> str:
    english = (get_language() or "uk").startswith("en")
    return (HROMADA.get("name_en") if english else None) or HROMADA.get("name_uk", "")


@register.filter
def localized(obj, field: str) -> str:
    """``obj.<field>_en`` on an English page when it has one, else ``obj.<field>_uk``: the
    code lists' titles (report categories, departments) in the page's language."""
    if obj is None:
        return ""
    english = (get_language() or "uk").startswith("en")
    return (english and getattr(obj, f"{field}_en", "")) or getattr(obj, f"{field}_uk", "") or ""
