"""Column names from delivered files made into safe, readable SQL identifiers.

Ukrainian column names are transliterated with the official national table (Cabinet of
Ministers resolution No. 55 of 2010), so "Пандус" becomes "pandus", not "column_7".
"""

from __future__ import annotations

import re

__all__ = ["column_name", "slug_name", "transliterate"]

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


# The table's forms at the start of a word (є ї й ю я) and its one digraph rule (зг -> zgh).
_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_WORD = re.compile(r"[\w'’ʼ]+")


def _national(word: str) -> str:
    word = word.lower().replace("зг", "zgh")
    first = _INITIAL.get(word[:1])
    return (first + transliterate(word[1:])) if first else transliterate(word)


def slug_name(text: str, max_length: int = 48) -> str:
    """A layer slug from a (file) name: the national transliteration (KMU No. 55 of 2010,
    with its word-initial forms: "Ясенова" -> "yasenova", "Згурівка" -> "zghurivka"), words
    joined by "-", starting with a letter ("2026" -> "layer-2026"); "" when nothing is left.

    Column names keep ``column_name``'s simpler rule (no word-initial forms): re-imports of
    existing layers must keep finding their columns."""
    words = [_national(w) for w in _WORD.findall(text)]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words)).strip("-")
    if slug and not slug[0].isalpha():
        slug = "layer-" + slug
    return slug[:max_length].rstrip("-")


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
