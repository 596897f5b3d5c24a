"""How people write to a hromada's hotline and messenger bots, written down for the
evaluation only (nothing here comes from, or is used by, the locator's parser).

Collected by family: the words for a pole or a manhole and for what is wrong, in Ukrainian,
Russian and surzhyk; numbers spelled out the way voice typing writes them; the national Latin
standard (KMU resolution 55 of 2010) and the informal Latin of a phone without a Ukrainian
keyboard; the Ukrainian ЙЦУКЕН layout typed on Latin keys ("ghbdtn"); typing slips.
"""

from __future__ import annotations

import random

POLE_UK = ["опора", "стовп", "ліхтар", "світильник", "електроопора", "опора освітлення"]
POLE_RU = ["столб", "фонарь", "опора", "столб освещения", "фонарный столб"]
POLE_SURZHYK = ["стовб", "ліхтарь", "фонар", "столб"]
MANHOLE_UK = ["люк", "колодязь", "кришка люка", "каналізаційний люк", "оглядовий колодязь"]
MANHOLE_RU = ["люк", "колодец", "канализационный люк", "крышка люка"]
PROBLEM_POLE_UK = [
    "не горить", "не світить уже тиждень", "темно, не працює", "блимає всю ніч",
    "горить вдень", "лампа розбита", "обірваний провід", "нахилилась, може впасти",
    "іскрить", "світла нема", "",
]  # fmt: skip
PROBLEM_POLE_RU = ["не горит", "не светит", "мигает", "висит провод", "не работает", "темно"]
PROBLEM_HOLE_UK = ["немає кришки", "відкритий", "кришка провалилась", "дитина мало не впала",
                   "тече вода", "зламана кришка", "смердить"]  # fmt: skip
PROBLEM_HOLE_RU = ["нет крышки", "открыт", "провалилась крышка", "течет вода"]
PROBLEM_ROAD_UK = ["яма", "ями на дорозі", "калюжа", "сміття не вивозять", "тече вода",
                   "дерево впало", "зламана лавка", "прорвало трубу", "розрита дорога"]  # fmt: skip
PROBLEM_ROAD_RU = ["яма", "лужа", "мусор не вывозят", "упало дерево", "прорвало трубу"]
GREETINGS = ["", "", "", "Добрий день. ", "Доброго дня! ", "Здрасте, ", "Шановні, "]
ABBREV = {
    "вулиця": ["вул", "вул.", "в.", "вулиця", "вулиці"],
    "проспект": ["просп.", "пр-т", "проспект", "пр."],
    "провулок": ["пров.", "пров", "провулок"],
    "бульвар": ["бул.", "бульв.", "бульвар"],
    "площа": ["пл.", "площа"],
}
RU_TYPE = {"вулиця": ["ул.", "улица", "ул"], "проспект": ["пр.", "проспект"],
           "провулок": ["пер.", "переулок"], "бульвар": ["бул.", "бульвар"],
           "площа": ["пл.", "площадь"]}  # fmt: skip

UNITS_UK = ["нуль", "один", "два", "три", "чотири", "п'ять", "шість", "сім", "вісім", "дев'ять",
            "десять", "одинадцять", "дванадцять", "тринадцять", "чотирнадцять", "п'ятнадцять",
            "шістнадцять", "сімнадцять", "вісімнадцять", "дев'ятнадцять"]  # fmt: skip
TENS_UK = ["", "", "двадцять", "тридцять", "сорок", "п'ятдесят", "шістдесят", "сімдесят",
           "вісімдесят", "дев'яносто"]  # fmt: skip
UNITS_RU = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь",
            "девять", "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать",
            "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"]  # fmt: skip
TENS_RU = ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
           "восемьдесят", "девяносто"]  # fmt: skip


def spelled(n: int, lang: str) -> str:
    """1..199 as words ("сімнадцять", "сто двадцять три")."""
    units, tens = (UNITS_UK, TENS_UK) if lang == "uk" else (UNITS_RU, TENS_RU)
    words = []
    if n >= 100:
        words.append("сто")
        n -= 100
    if n >= 20:
        words.append(tens[n // 10])
        if n % 10:
            words.append(units[n % 10])
    elif n or not words:
        words.append(units[n])
    return " ".join(words)


# KMU resolution 55 (2010): position-dependent letters at the start of a word.
KMU = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
       "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
       "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
       "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
       "я": "ia", "'": "", "’": ""}  # fmt: skip
KMU_FIRST = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
INFORMAL = {"а": ["a"], "б": ["b"], "в": ["v", "w"], "г": ["g", "h"], "ґ": ["g"], "д": ["d"],
            "е": ["e"], "є": ["ye", "e", "je"], "ж": ["zh", "j"], "з": ["z"], "и": ["i", "y"],
            "і": ["i"], "ї": ["yi", "i", "ji"], "й": ["y", "j", "i"], "к": ["k"], "л": ["l"],
            "м": ["m"], "н": ["n"], "о": ["o"], "п": ["p"], "р": ["r"], "с": ["s"], "т": ["t"],
            "у": ["u"], "ф": ["f"], "х": ["h", "kh"], "ц": ["c", "ts"], "ч": ["ch"],
            "ш": ["sh"], "щ": ["sch", "shch"], "ь": ["", "'"], "ю": ["yu", "ju"],
            "я": ["ya", "ja"], "'": [""], "’": [""], "ы": ["y"], "э": ["e"], "ё": ["e", "yo"],
            "ъ": [""]}  # fmt: skip
# The Ukrainian ЙЦУКЕН layout on a Latin keyboard (what is typed with the wrong layout on).
LAYOUT = dict(
    zip("йцукенгшщзхїфівапролджєячсмитьбю.", "qwertyuiop[]asdfghjkl;'zxcvbnm,./", strict=True)
)
NEIGHBOURS = {"а": "вп", "о": "рл", "е": "кн", "и": "мт", "і": "ів", "н": "ег", "р": "по",
              "с": "чм", "в": "іа", "л": "од", "к": "уе", "т": "иь", "д": "лж", "ш": "гщ"}  # fmt: skip


def latin_standard(text: str) -> str:
    out, prev = [], " "
    for ch in text:
        low = ch.lower()
        rep = KMU_FIRST.get(low) if not prev.isalpha() else None
        rep = rep if rep is not None else KMU.get(low, ch)
        out.append(rep.capitalize() if ch.isupper() and rep else rep)
        prev = ch
    return "".join(out)


def latin_informal(rng: random.Random, text: str) -> str:
    return "".join(rng.choice(INFORMAL.get(ch.lower(), [ch])) for ch in text)


def wrong_layout(text: str) -> str:
    return "".join(LAYOUT.get(ch.lower(), ch) for ch in text)


def slip(rng: random.Random, word: str) -> str:
    """One typing slip in a word of 5+ letters: swap, drop, double or a neighbouring key."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    op = rng.choice(["swap", "drop", "double", "key"])
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    near = NEIGHBOURS.get(word[i].lower())
    return word[:i] + (rng.choice(near) if near else word[i]) + word[i + 1 :]


def noisy(rng: random.Random, text: str) -> str:
    """Spacing and punctuation as typed on a phone in a hurry."""
    style = rng.randrange(5)
    if style == 0:
        return text.upper()
    if style == 1:
        return text.replace(" ", "  ").replace(",", " ,") + "!!!"
    if style == 2:
        return text.replace(". ", ".").replace(", ", ",")
    if style == 3:
        return "..." + text.replace(" ", " - ", 1) + " ))"
    return text.replace(" ", ";", 1) + " 😡"
