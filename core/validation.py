"""The one validation layer for what clients send: numbers, dates and intervals, bounding
boxes, coordinates and free text, for every API (OGC API, REST, WFS additions, reports,
Open311, the locator).

Each function takes the raw value and the parameter's name, and returns the parsed value or
raises ``PortalError`` (400) whose message names the parameter and whose ``code`` says what
was wrong. Nothing here lets NaN, infinities, latitudes past the poles, impossible dates
("2024-02-30") or control characters through, so no later step can fail on them with a 500.
Each API's error renderer (core.errors) writes the error in that API's own format.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .errors import PortalError

__all__ = [
    "CONTROL_CHARACTERS",
    "check_geographic",
    "clean_text",
    "parse_bbox",
    "parse_date_or_datetime",
    "parse_interval",
    "parse_number",
    "parse_point",
    "strip_control",
]

# C0 controls but tab, newline and carriage return; DEL; C1 controls. XML 1.0 refuses the C0
# ones outright, terminals and spreadsheets misread the rest.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _invalid(name: str, message: str, code: str) -> PortalError:
    return PortalError(f"{name}: {message}", code=code, parameter=name)


def parse_number(
    value,
    name: str,
    *,
    integer: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float | int:
    """A finite number (an integer when ``integer``) within [minimum, maximum]."""
    text = str(value).strip()
    try:
        number = int(text) if integer else float(text)
    except (TypeError, ValueError):
        kind = _("ціле число") if integer else _("число")
        raise _invalid(name, _("очікується %(kind)s, отримано %(v)r") % {"kind": kind, "v": text[:40]},
                       "invalid-number") from None  # fmt: skip
    if not math.isfinite(number):
        raise _invalid(name, _("число має бути скінченним"), "invalid-number")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise _invalid(
            name,
            _("%(v)s поза межами [%(a)s, %(b)s]")
            % {
                "v": text[:40],
                "a": "-∞" if minimum is None else minimum,
                "b": "∞" if maximum is None else maximum,
            },  # fmt: skip
            "out-of-range",
        )
    return number


def check_geographic(lon: float, lat: float, name: str) -> None:
    """Longitude within ±180 and latitude within ±90 (degrees)."""
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _invalid(
            name,
            _("координати (%(x)s, %(y)s) поза межами: довгота ±180, широта ±90")
            % {"x": lon, "y": lat},
            "out-of-range",
        )


def parse_point(lon, lat, name: str = "location") -> tuple[float, float]:
    """A lon/lat pair in degrees."""
    x, y = parse_number(lon, f"{name}.lon"), parse_number(lat, f"{name}.lat")
    check_geographic(x, y, name)
    return x, y


def parse_bbox(text: str, name: str = "bbox", *, geographic: bool = True) -> tuple[float, ...]:
    """``minx,miny,maxx,maxy`` as four finite numbers, min <= max; in degrees (lon/lat) the
    corners are checked against ±180 / ±90."""
    parts = str(text or "").split(",")
    if len(parts) != 4:
        raise _invalid(name, _("чотири числа через кому: minx,miny,maxx,maxy"), "invalid-bbox")
    x0, y0, x1, y1 = (parse_number(p, name) for p in parts)
    if geographic:
        check_geographic(x0, y0, name)
        check_geographic(x1, y1, name)
    if x0 > x1 or y0 > y1:
        raise _invalid(name, _("мінімум більший за максимум"), "invalid-bbox")
    return x0, y0, x1, y1


def parse_date_or_datetime(value: str, name: str, kind: str = "datetime") -> date | datetime:
    """An RFC 3339 date or date-time that exists on the calendar; ``kind="date"`` gives the
    date of a date-time."""
    text = str(value or "").strip()
    try:
        parsed = parse_datetime(text) or (parse_date(text) if "T" not in text.upper() else None)
    except ValueError:  # well formed but not on the calendar: 2024-02-30, 25:00
        parsed = None
    if parsed is None:
        raise _invalid(
            name,
            _("неправильна дата %(v)r (RFC 3339, напр. 2024-05-01 або 2024-05-01T10:00:00Z)")
            % {"v": text[:40]},
            "invalid-datetime",
        )
    if kind == "date" and isinstance(parsed, datetime):
        parsed = parsed.date()
    return parsed


def parse_interval(text: str, name: str = "datetime", kind: str = "datetime"):
    """An instant or an interval ``a/b``, ``../b``, ``a/..``: (start, end), either None when
    open; an instant is (value, value). Start after end is refused."""
    text = str(text or "").strip()
    if "/" not in text:
        value = parse_date_or_datetime(text, name, kind)
        return value, value
    start_text, _sep, end_text = text.partition("/")
    start = None if start_text in ("", "..") else parse_date_or_datetime(start_text, name, kind)
    end = None if end_text in ("", "..") else parse_date_or_datetime(end_text, name, kind)
    if start is not None and end is not None and _comparable(start) > _comparable(end):
        raise _invalid(name, _("початок пізніше за кінець"), "invalid-datetime")
    return start, end


def _comparable(value) -> datetime:
    if isinstance(value, datetime):  # aware: in UTC; naive: as given
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return datetime(value.year, value.month, value.day)


def strip_control(text: str) -> str:
    """``text`` without control characters: for output of data stored before intake refused
    them (XML cannot carry them at all)."""
    return CONTROL_CHARACTERS.sub("", text)


def clean_text(value, name: str, *, limit: int, multiline: bool = True) -> str:
    """Free text for storage: at most ``limit`` characters, NFC, no control characters (a
    400 naming the field, so the resident sees what was refused)."""
    text = unicodedata.normalize("NFC", str(value or ""))
    if len(text) > limit:
        raise _invalid(name, _("не більше %(n)s символів") % {"n": limit}, "too-long")
    bad = CONTROL_CHARACTERS.search(text) or (not multiline and re.search(r"[\r\n\t]", text))
    if bad:
        raise _invalid(
            name,
            _("недопустимий керівний символ U+%(c)04X") % {"c": ord(bad.group(0))},
            "control-character",
        )
    return text
