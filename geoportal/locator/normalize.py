"""A resident's free text made readable for the parser, before any pattern looks at it.

In order: a message typed with the Latin layout switched on ("jgjhf 17" for "опора 17") is
decoded when that yields more dictionary words than transliterating it; Latin words are
transliterated (``text.fold``); digits glued to words are separated ("опора32", "освітлення21");
numbers spelled out by voice typing become digits ("сімнадцять", "двадцать три"); Russian words
become the Ukrainian ones the registry's names are made of: first a small table of street-name
and landmark words (``RU_UK``, by the Russian lemma from pymorphy3's Russian dictionary:
"Независимости", "Школьная", "Сахарный завод"), else the Russian lemma's letters in Ukrainian
spelling ("садовая" -> "садова").
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .text import APOSTROPHES, fold

__all__ = ["normalize", "ru_lemma", "spelled_numbers"]

# Russian lemma -> Ukrainian word (adjectives in the feminine, as street names are).
RU_UK = {
    "независимость": "незалежності", "школьный": "шкільна", "полевой": "польова",
    "казацкий": "козацька", "молодёжный": "молодіжна", "молодежный": "молодіжна",
    "степной": "степова", "цветочный": "квіткова", "майский": "травнева",
    "железнодорожный": "залізнична", "сахарный": "цукровий", "мельница": "млин",
    "больница": "лікарня", "рынок": "ринок", "сельсовет": "сільрада", "почта": "пошта",
    "герой": "героїв", "украинка": "українки", "зелёный": "зелена", "зеленый": "зелена",
    "лесной": "лісова", "победа": "перемоги", "новый": "нова", "старый": "стара",
    "речной": "річкова", "луговой": "лугова", "садовый": "садова", "вишнёвый": "вишнева",
    "вишневый": "вишнева", "соборный": "соборна", "центральный": "центральна",
    "набережный": "набережна", "набережная": "набережна", "покровский": "покровська",
    "соловьиный": "солов'їна", "дружба": "дружби", "мир": "миру", "елена": "олени",
    "вячеслав": "в'ячеслава", "черновол": "чорновола", "гетман": "гетьмана",
    "сагайдачный": "сагайдачного", "николай": "миколи", "садовский": "садовського",
    "иван": "івана", "франко": "франка", "тарас": "тараса", "леся": "лесі",
    "школа": "школа", "завод": "завод", "автостанция": "автостанція", "элеватор": "елеватор",
    "остановка": "зупинка", "улица": "вулиця", "переулок": "провулок", "площадь": "площа",
    "перекрёсток": "перехрестя", "перекресток": "перехрестя", "столб": "стовп",
    "фонарь": "ліхтар", "колодец": "колодязь", "крышка": "кришка", "дом": "будинок",
    "возле": "біля", "около": "біля", "напротив": "навпроти", "между": "між",
    "угол": "розі", "проспект": "проспект", "бульвар": "бульвар", "село": "село",
    "посёлок": "селище", "поселок": "селище", "город": "місто", "номер": "номер",
}  # fmt: skip
RU_LETTERS = re.compile(r"[ыэёъ]")
UNITS = {
    "один": 1, "одна": 1, "одне": 1, "два": 2, "дві": 2, "две": 2, "три": 3, "чотири": 4,
    "четыре": 4, "п'ять": 5, "пять": 5, "шість": 6, "шесть": 6, "сім": 7, "семь": 7,
    "вісім": 8, "восемь": 8, "дев'ять": 9, "девять": 9,
}  # fmt: skip
TEENS = {
    "десять": 10, "одинадцять": 11, "одиннадцать": 11, "дванадцять": 12, "двенадцать": 12,
    "тринадцять": 13, "тринадцать": 13, "чотирнадцять": 14, "четырнадцать": 14,
    "п'ятнадцять": 15, "пятнадцать": 15, "шістнадцять": 16, "шестнадцать": 16,
    "сімнадцять": 17, "семнадцать": 17, "вісімнадцять": 18, "восемнадцать": 18,
    "дев'ятнадцять": 19, "девятнадцать": 19,
}  # fmt: skip
TENS = {
    "двадцять": 20, "двадцать": 20, "тридцять": 30, "тридцать": 30, "сорок": 40,
    "п'ятдесят": 50, "пятьдесят": 50, "шістдесят": 60, "шестьдесят": 60, "сімдесят": 70,
    "семьдесят": 70, "вісімдесят": 80, "восемьдесят": 80, "дев'яносто": 90, "девяносто": 90,
}  # fmt: skip
HUNDREDS = {"сто": 100, "двісті": 200, "двести": 200, "триста": 300, "чотириста": 400,
            "четыреста": 400, "п'ятсот": 500, "пятьсот": 500}  # fmt: skip
# The Ukrainian ЙЦУКЕН layout: the Latin key -> the letter it types.
LAYOUT = dict(
    zip("qwertyuiop[]asdfghjkl;'zxcvbnm,./`", "йцукенгшщзхїфівапролджєячсмитьбю.'", strict=True)
)
WORD = re.compile(r"[а-яіїєґёыэъ']+")
# After these a lone "один" is a number ("стовп один", "номер один").
CUE = re.compile(r"(?:опор|стовп|столб|ліхтар|фонар|світил|номер|№|люк|колод|між|между)")
# Words of a report a typing slip must not hide ("опрора", "перехрнстя", "світильгик").
KEY_WORDS = [
    "опора", "опори", "опору", "опорами", "стовп", "стовпа", "стовпами", "ліхтар", "ліхтаря",
    "світильник", "електроопора", "освітлення", "перехрестя", "перехресті", "зупинка",
    "зупинці", "зупинки", "будинку", "будинок", "колодязь", "кришка", "кришки", "вулиця",
    "вулиці", "провулок", "проспект", "бульвар",
]  # fmt: skip

_lock = threading.Lock()
_morph: dict[str, object] = {}


def _analyzer(lang: str):
    if lang not in _morph:
        with _lock:
            if lang not in _morph:
                import pymorphy3

                _morph[lang] = pymorphy3.MorphAnalyzer(lang=lang)
    return _morph[lang]


@lru_cache(maxsize=50_000)
def _known(word: str) -> bool:
    return _analyzer("uk").word_is_known(word) or _analyzer("ru").word_is_known(word)


def _known_count(text: str) -> int:
    return sum(_known(w) for w in re.findall(r"[а-яіїєґёыэъ']{3,}", text))


def _layout_decoded(text: str) -> str:
    """``text`` as typed with the Latin layout on: letters, "/" (the full stop), and the
    punctuation keys that are letters in the Ukrainian layout when they stand in a word."""
    keys = set(",.;'[]`")
    out = []
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i + 1 < len(text) else " "
        prev = text[i - 1] if i else " "
        in_word = nxt.isalpha() or nxt in keys or (prev.isalpha() and ch not in ",.")
        if "a" <= ch <= "z" or ch == "/" or (ch in keys and in_word):
            out.append(LAYOUT.get(ch, ch))
        else:
            out.append(ch)
    return "".join(out)


def _latin_fixed(low: str) -> str:
    """Latin words transliterated, or the whole text decoded as a wrong keyboard layout when
    that reads better."""
    if not re.search(r"[a-z]{2}", low):
        return low
    translit = fold(low)
    layout = _layout_decoded(low)
    if _known_count(layout) > _known_count(translit):
        return layout
    return translit


def spelled_numbers(text: str) -> str:
    """Numbers written out ("двадцять три", "сто сімнадцять") as digits; a lone "один"/"одна"
    stays a word ("один ліхтар не горить")."""
    words = text.split(" ")
    out, i = [], 0
    while i < len(words):
        value, j = 0, i
        w = words[j].strip(",.!?")
        if w in HUNDREDS:
            value, j = HUNDREDS[w], j + 1
        w = words[j].strip(",.!?") if j < len(words) else ""
        if w in TEENS:
            value, j = value + TEENS[w], j + 1
        else:
            if w in TENS:
                value, j = value + TENS[w], j + 1
            w = words[j].strip(",.!?") if j < len(words) else ""
            lone_one = j == i and UNITS.get(w) == 1 and not (i and CUE.match(words[i - 1]))
            if w in UNITS and not lone_one:
                value, j = value + UNITS[w], j + 1
        if j == i:
            out.append(words[i])
            i += 1
            continue
        tail = words[j - 1][len(words[j - 1].rstrip(",.!?")) :]
        out.append(f"{value}{tail}")
        i = j
    return " ".join(out)


@lru_cache(maxsize=50_000)
def ru_lemma(word: str) -> str:
    """The Russian dictionary's lemma of ``word`` ("мира" -> "мир"), or the word itself."""
    if len(word) < 3 or not word.isalpha() or not _analyzer("ru").word_is_known(word):
        return word
    return _analyzer("ru").parse(word)[0].normal_form.replace("ё", "е")


@lru_cache(maxsize=50_000)
def _ukrainian(word: str) -> str:
    """A Russian word as the Ukrainian word of the registry's names (itself if not Russian);
    a slip in one of the report's key words undone."""
    if len(word) < 3 or word.isdigit():
        return word
    if len(word) >= 5 and not _analyzer("uk").word_is_known(word):
        hit = process.extractOne(word, KEY_WORDS, scorer=OSA.normalized_similarity,
                                 score_cutoff=0.8)  # fmt: skip
        if hit:
            return hit[0]
    russian = RU_LETTERS.search(word) or not _analyzer("uk").word_is_known(word)
    if not russian or not _analyzer("ru").word_is_known(word):
        return word
    parsed = _analyzer("ru").parse(word)[0]
    lemma = parsed.normal_form
    if lemma in RU_UK:
        return RU_UK[lemma]
    if "ADJF" in parsed.tag and lemma.endswith(("ый", "ий", "ой")):
        lemma = lemma[:-2] + "а"  # "садовый" -> "садова"
        return lemma.replace("ы", "и").replace("э", "е").replace("ё", "е").replace("ъ", "'")
    return word


def normalize(text: str) -> str:
    """Lower-case text the parser reads (see the module doc); never raises."""
    low = (text or "").lower().translate(APOSTROPHES)
    low = _latin_fixed(low)
    low = re.sub(r"([а-яіїєґ']{3,})(\d)", r"\1 \2", low)  # "опора32" -> "опора 32"
    low = re.sub(r"(\d)([а-яіїєґ']{2,})", r"\1 \2", low)  # "32опора"; "12а" stays
    low = spelled_numbers(low)
    low = WORD.sub(lambda m: _ukrainian(m.group()), low)
    return fold(low)
