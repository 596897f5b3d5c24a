"""Ukrainian text normalisation shared by the registry and the parser: case, apostrophes,
Latin transliteration, Russian-influenced spellings, lemmas (pymorphy3, Ukrainian
dictionaries), reference numbers ("ОП-17" -> "17", "К-204" -> "к204") and street keys
("вулиця Тараса Шевченка" -> type "вулиця", key "тарас шевченко")."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from rapidfuzz.distance import OSA

__all__ = [
    "STREET_TYPES",
    "fold",
    "house_norm",
    "lemma",
    "name_tokens",
    "ref_norm",
    "similar",
    "street_key",
    "tokenize",
]

APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'", "´": "'", "ʹ": "'"})
RUSSIAN = str.maketrans({"ы": "и", "э": "е", "ё": "е", "ъ": "'"})
LATIN_MULTI = [
    ("shch", "щ"), ("sch", "щ"), ("zgh", "зг"), ("ju", "ю"), ("ja", "я"), ("je", "є"), ("ji", "ї"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"),
    ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("ye", "є"), ("yi", "ї"), ("iu", "ю"), ("ia", "я"),
    ("ie", "є"), ("ii", "ій"),
]  # fmt: skip
LATIN_SINGLE = str.maketrans(
    {
        "a": "а", "b": "б", "v": "в", "h": "г", "g": "г", "d": "д", "e": "е", "z": "з",
        "y": "и", "i": "і", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
        "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "c": "ц", "j": "й", "w": "в",
        "x": "х", "q": "к",
    }
)  # fmt: skip
# Words of Russian or surzhyk complaints mapped to the Ukrainian word the parser knows.
SYNONYMS = {
    "улица": "вулиця", "ул": "вул", "улице": "вулиця", "улицы": "вулиця", "столб": "стовп",
    "столба": "стовп", "столбом": "стовп", "столбе": "стовп", "фонарь": "ліхтар",
    "фонаря": "ліхтар", "колодец": "колодязь", "колодца": "колодязь", "остановка": "зупинка",
    "остановки": "зупинка", "остановке": "зупинка", "дом": "будинок", "дома": "будинок",
    "напротив": "навпроти", "напроти": "навпроти", "возле": "біля", "около": "біля",
    "коло": "біля", "между": "між", "перекресток": "перехрестя", "перекрестке": "перехрестя",
    "переулок": "провулок", "пер": "пров", "проспекте": "проспект", "площадь": "площа",
    "село": "село", "поселок": "селище",
}  # fmt: skip
STREET_TYPES = {
    "вулиця": "вулиця", "вул": "вулиця", "провулок": "провулок", "пров": "провулок",
    "проспект": "проспект", "просп": "проспект", "пр": "проспект", "бульвар": "бульвар",
    "бул": "бульвар", "бульв": "бульвар", "площа": "площа", "пл": "площа", "майдан": "площа",
    "узвіз": "узвіз", "шосе": "шосе", "стр": "вулиця", "стріт": "вулиця",
}  # fmt: skip
TOKEN = re.compile(r"[0-9]+(?:[а-яіїєґa-z](?![а-яіїєґa-z']))?(?:/[0-9]+)?|[а-яіїєґa-z']+|№|#")

_morph = None
_morph_lock = threading.Lock()


def _analyzer():
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer(lang="uk")
    return _morph


def _translit(word: str) -> str:
    for latin, cyr in LATIN_MULTI:
        word = word.replace(latin, cyr)
    return word.translate(LATIN_SINGLE)


def fold(text: str) -> str:
    """Lower case, one kind of apostrophe, Russian letters and Latin words in Cyrillic."""
    text = text.lower().translate(APOSTROPHES).translate(RUSSIAN)
    return re.sub(r"[a-z]+", lambda m: _translit(m.group()), text)


def tokenize(text: str) -> list[str]:
    """Folded tokens (words, numbers with a letter or /part, № signs), synonyms applied."""
    out = []
    for tok in TOKEN.findall(fold(text)):
        tok = tok.strip("'")
        if len(tok) >= 6 and tok.endswith(("ая", "ой", "ую")) and tok not in SYNONYMS:
            tok = tok[:-2] + "а"  # Russian adjective endings: "Садовая" -> "садова"
        if tok:
            out.append(SYNONYMS.get(tok, tok))
    return out


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    if not word or word[0].isdigit() or len(word) < 3:
        return word
    return _analyzer().parse(word)[0].normal_form.replace("ʼ", "'")


def similar(a: str, b: str) -> float:
    """0..100: how alike two words are (lemmas or surface forms)."""
    if a == b:
        return 100.0
    if len(a) < 4 or len(b) < 4:
        return 0.0
    if a.replace("и", "і") == b.replace("и", "і"):
        return 97.0  # Russian-keyboard "и" for "і": "Сичових Стрильцив"
    return OSA.normalized_similarity(a, b) * 100  # a swap of two letters is one edit


_CODE = re.compile(r"^([а-яіїєґ]{0,3})[\s.\-–№#]*(\d{1,6})([а-яіїєґ]?)$")
POLE_PREFIXES = {"оп", "о", "н", "n", "ном", ""}


def ref_norm(ref: str) -> str:
    """Normalised reference: codes compact ("ОП-17", "оп 17", "№17" -> "17"; "К-204" ->
    "к204"), names as lower-case words without quotes and number signs."""
    text = fold(str(ref)).strip()
    compact = re.sub(r"[\s\-–.№#]+", "", text)
    match = _CODE.match(compact)
    if match:
        prefix, digits, suffix = match.groups()
        digits = digits.lstrip("0") or "0"
        if prefix in POLE_PREFIXES:
            return digits + suffix
        return prefix + digits + suffix
    return " ".join(name_tokens(text))


def name_tokens(text: str) -> list[str]:
    """Lemmas of a name's words and its numbers ("Школа №3" -> ["школа", "3"])."""
    return [lemma(t) for t in tokenize(text) if t not in ("№", "#")]


def house_norm(number: str) -> str:
    """House number as stored and as typed: "12 А" -> "12а", "14 / 2" -> "14/2"."""
    return re.sub(r"[\s\-–]+", "", fold(str(number)))


def street_key(name: str) -> tuple[str, str]:
    """(type, key) of a street name: "вулиця Тараса Шевченка" -> ("вулиця", "тарас шевченко")."""
    tokens = tokenize(name)
    kind = "вулиця"
    words = []
    for tok in tokens:
        if tok in STREET_TYPES and not words and kind == "вулиця":
            kind = STREET_TYPES[tok]
            continue
        words.append(lemma(tok))
    return kind, " ".join(words)
