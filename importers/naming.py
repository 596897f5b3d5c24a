"""Column names from delivered files made into safe, readable SQL identifiers.

Ukrainian column names are transliterated with the official national table (Cabinet of
Ministers resolution No. 55 of 2010), so "Пандус" becomes "pandus", not "column_7".
"""

from __future__ import annotations

import re

__all__ = ["column_name", "transliterate"]

_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
    # Russian letters seen in older registers
    "ы": "y", "э": "e", "ъ": "", "ё": "io",
}  # fmt: skip


def transliterate(text: str) -> str:
    return "".join(_TABLE.get(ch, ch) for ch in text.lower())


def column_name(raw: str, taken: set[str] | None = None) -> str:
    """A lower-case ASCII identifier for ``raw``, unique within ``taken``."""
    name = re.sub(r"[^a-z0-9_]+", "_", transliterate(raw.strip())).strip("_")[:55] or "field"
    if name[0].isdigit():
        name = "f_" + name
    if name in ("fid", "geom", "id"):
        name = f"src_{name}"
    base, n = name, 2
    while taken is not None and name in taken:
        name, n = f"{base}_{n}", n + 1
    if taken is not None:
        taken.add(name)
    return name
