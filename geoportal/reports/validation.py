"""Field checks of a report submission: location inside the hromada, plain text of bounded size.

Choice on HTML: text containing tags is rejected (400 with a field error) rather than silently
stripped, so the resident sees what was refused; accepted text is stored as-is and always escaped
on output.
"""

import re

from django.utils.translation import gettext as _

from core import conf
from core.validation import CONTROL_CHARACTERS

__all__ = ["check_location", "check_text", "is_yes", "MAX_DESCRIPTION"]

MAX_DESCRIPTION = 5000
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def check_location(lat, lon):
    """Return a list of messages for the location (empty when it lies inside the hromada)."""
    if lat is None or lon is None:
        return [_("Потрібне місце: позначка на мапі, GPS, орієнтир або опис.")]
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return [_("Координати мають бути числами.")]
    minlon, minlat, maxlon, maxlat = conf.HROMADA["extent"]
    if not (minlon <= lon <= maxlon and minlat <= lat <= maxlat):
        return [_("Точка поза межами громади.")]
    return []


def check_text(value, limit=MAX_DESCRIPTION):
    """Return a list of messages for a free-text field."""
    text = value or ""
    errors = []
    if len(text) > limit:
        errors.append(_("Не більше %(n)s символів.") % {"n": limit})
    if _TAG.search(text):
        errors.append(_("HTML-теги не допускаються."))
    bad = CONTROL_CHARACTERS.search(text)
    if bad:
        errors.append(_("Недопустимий керівний символ U+%(c)04X.") % {"c": ord(bad.group(0))})
    return errors


def is_yes(value) -> bool:
    """A yes/no field from JSON or a form: true, "true", "1", "yes", "on" (any case) are yes."""
    return str(value).strip().lower() in ("true", "1", "yes", "on")
