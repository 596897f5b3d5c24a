"""Service metadata of the portal's OGC services (provider, contact, fees, access constraints,
keywords), from one configuration: every capabilities document (WFS, WMS, CSW) and every
catalogue record's responsible organisation read ``SERVICE``.

Override any key with GEOPORTAL_SERVICE (JSON object) in the environment or settings.
"""

from __future__ import annotations

import json

from .conf import HROMADA, setting

__all__ = ["SERVICE", "service_text"]

SERVICE = {
    "provider_uk": f"Виконавчий комітет: {HROMADA['name_uk']}",
    "provider_en": f"Executive committee of {HROMADA['name_en']}",
    "provider_url": "",
    "contact_name": "",
    "contact_position_uk": "Відділ містобудування та архітектури",
    "contact_position_en": "Urban planning and architecture department",
    "contact_email": "",
    "contact_phone": "",
    "city_uk": "",
    "city_en": "",
    "country": "Ukraine",
    "fees": "none",
    "access_constraints_uk": "Відкриті дані; шари лише для працівників доступні після входу.",
    "access_constraints_en": "Open data; staff-only layers require signing in.",
    "keywords_uk": ["геопортал", "громада", "НІГД"],
    "keywords_en": ["geoportal", "hromada", "NSDI", "Ukraine"],
}
_override = setting("GEOPORTAL_SERVICE", {})
SERVICE.update(json.loads(_override) if isinstance(_override, str) else _override)


def service_text(key: str, language: str = "uk"):
    """The ``key`` of SERVICE in ``language`` (``key_en``/``key_uk``), Ukrainian as fallback."""
    lang = "en" if (language or "uk").startswith("en") else "uk"
    return SERVICE.get(f"{key}_{lang}") or SERVICE.get(f"{key}_uk") or SERVICE.get(key, "")
