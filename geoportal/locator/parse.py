"""Free text of a resident's report -> structured evidence (no database, no registry).

Finds what a resident can see and type: pole and manhole numbers ("опора 17", "ОП-17",
"стовп №17", "люк К-204"), pairs ("між опорами 17 і 18"), house numbers ("буд. 12а",
"навпроти 14"), distances ("за 50 м"), relation words (біля, навпроти, перехрестя) and the
tokens with their lemmas, from which the resolver picks street, settlement and place names
against the registry's vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import normalize
from .text import STREET_TYPES, fold, house_norm, lemma, ref_norm, tokenize

__all__ = ["Evidence", "RefMention", "parse", "parse_landmark"]

NUM = r"(\d{1,5})"
L = r"[а-яіїєґ']*"  # the rest of a word: letters only ("опора32" is pole 32, not pole 2)
POLE_WORD = (
    r"(?:електро)?(?:опор|стовп|стовб|столб|ліхтар|фонар|світил|освітлюв)" + L
)  # fmt: skip
MANHOLE_WORD = r"(?:люк|колодяз|колодц|колодец|кришк|кришц)" + L
SIGN = r"(?:\s*(?:№|#|n|н\.|(?:під\s+|под\s+)?номер(?:ом)?|ном\.?)\s*)?"
# "опора освітлення 15", "стовп вуличного освітлення №3": the kind of pole between word and number
POLE_OF = r"(?:\s+(?:вуличного\s+)?(?:освітлен|освещен|електромереж)[а-яіїєґ']*)?"
POLE_RE = re.compile(
    POLE_WORD + POLE_OF + r"[\s,:;.\-–]*" + SIGN + r"(оп\s*[-–.]?\s*)?" + NUM + r"(?![\d/])"
)
OP_RE = re.compile(r"(?<![а-яіїєґ])оп\s*[-–.]?\s*№?\s*" + NUM + r"(?![\d/])")
BETWEEN_RE = re.compile(
    r"(?:між|поміж)\s+(?:[а-яіїєґ']+\s*)?" + SIGN + r"(?:оп\s*[-–]?\s*)?" + NUM
    + r"\s*(?:і|й|та|и|,|-|–|and)\s*" + SIGN + r"(?:оп\s*[-–]?\s*)?" + NUM + r"(?![\d/])"
)  # fmt: skip
MANHOLE_RE = re.compile(MANHOLE_WORD + r"[\s,:]*" + SIGN + r"([квт])?\s*[-–]?\s*" + NUM + r"\b")
CODE_RE = re.compile(r"(?<![а-яіїєґ\d])([квт])\s*[-–]\s*" + NUM + r"(?![\d/])")
COMPACT_CODE_RE = re.compile(r"(?<![а-яіїєґ\d])([квт])(\d{1,4})(?![\d/а-яіїєґ])")
NUMBERED_CODE_RE = re.compile(r"(?:номер|№)\s*([квт])\s*[-–]?\s*" + NUM + r"(?![\d/])")
SIGN_RE = re.compile(r"(?:№|#)\s*" + NUM + r"(?![\d/])")
HOUSE = r"(\d{1,4}(?:\s?[а-яієї](?![а-яіїєґ']))?(?:\s?/\s?\d{1,3})?)"
HOUSE_RE = re.compile(
    r"(?<![а-яіїєґ])(?:буд(?:инок|инку|инка|инком)?|б|будинку|дім|дом[аеуі]?|д)\.?\s*№?\s*" + HOUSE
)
REL_HOUSE_RE = re.compile(r"(?:навпроти|біля|поруч з|поряд з|проти)\s+(?:№\s*)?" + HOUSE + r"\b")
DISTANCE_RE = re.compile(r"(\d{1,4})\s*(?:м|метр\w*|m)(?![а-яіїєґa-z])")
INTERSECTION_RE = re.compile(r"перехрест\w*|перетин\w*|розі\b|ріг\b|кут\w*\s|перекрест\w*|угол")
OPPOSITE_RE = re.compile(r"навпроти|напроти|напротив|через дорогу|проти\b")
NEAR_RE = re.compile(r"біля|коло\b|поруч|поряд|возле|около|недалеко|близько|неподалік")
STOP_RE = re.compile(r"зупин\w*|зуп\.|остановк\w*")
SETTLEMENT_CUES = {
    "с",
    "село",
    "селі",
    "села",
    "селище",
    "селищі",
    "сще",
    "смт",
    "м",
    "місто",
    "місті",
}
STREET_MARKERS = set(STREET_TYPES) | {"по", "на", "вулиці", "вулицею", "вулицю", "провулку"}


@dataclass
class RefMention:
    """A reference number as typed: ``digits`` is a substring of the input."""

    raw: str
    norm: str
    kind: str | None  # "pole", "manhole" or None (any)
    digits: str
    prefix: str = ""  # typed before the number of a pole ("оп" of "ОП-41"), folded


@dataclass
class Evidence:
    text: str
    tokens: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    refs: list[RefMention] = field(default_factory=list)
    between: tuple[RefMention, RefMention] | None = None
    houses: list[str] = field(default_factory=list)
    distance_m: int | None = None
    intersection: bool = False
    opposite: bool = False
    near: bool = False
    stop: bool = False
    marked: set[int] = field(default_factory=set)  # token positions right after a street word
    settlement_cued: set[int] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "refs": [{"ref": r.raw, "norm": r.norm, "kind": r.kind} for r in self.refs],
            "between": [r.norm for r in self.between] if self.between else None,
            "houses": self.houses,
            "distance_m": self.distance_m,
            "intersection": self.intersection,
            "opposite": self.opposite,
            "near": self.near,
            "stop": self.stop,
        }


def _ref(kind, prefix, digits) -> RefMention:
    raw = f"{prefix or ''}{'-' if prefix else ''}{digits}"
    return RefMention(raw=raw, norm=ref_norm(raw), kind=kind, digits=digits)


def parse(text: str) -> Evidence:
    """Structured evidence found in ``text`` (never raises on any string)."""
    text = text or ""
    folded = normalize(text)
    ev = Evidence(text=text)
    ev.tokens = tokenize(folded)
    ev.lemmas = [lemma(t) for t in ev.tokens]
    seen: set[tuple] = set()

    def add(ref: RefMention, prefix: str = ""):
        key = (ref.norm, ref.kind)
        if key not in seen:
            seen.add(key)
            ev.refs.append(ref)
        if prefix:  # "опора ОП-41": the prefix is kept whichever pattern read it first
            next(r for r in ev.refs if (r.norm, r.kind) == key).prefix = prefix

    m = BETWEEN_RE.search(folded)
    if m:
        a, b = _ref("pole", None, m.group(1)), _ref("pole", None, m.group(2))
        ev.between = (a, b)
        add(a)
        add(b)
    for m in MANHOLE_RE.finditer(folded):
        add(_ref("manhole", m.group(1), m.group(2)))
    codes = [*CODE_RE.finditer(folded), *NUMBERED_CODE_RE.finditer(folded)]
    if re.search(MANHOLE_WORD, folded):  # "люк відкритий, Т15"
        codes += list(COMPACT_CODE_RE.finditer(folded))
    for m in codes:
        add(_ref("manhole", m.group(1), m.group(2)))
    for m in POLE_RE.finditer(folded):
        add(_ref("pole", None, m.group(2)), "оп" if m.group(1) else "")
    for m in OP_RE.finditer(folded):
        add(_ref("pole", None, m.group(1)), "оп")
    taken = {r.digits for r in ev.refs}
    for m in SIGN_RE.finditer(folded):
        before = folded[max(0, m.start() - 12) : m.start()]
        if m.group(1) not in taken and not re.search(r"школ|ліце|гімназ|садо|буд|дім", before):
            add(_ref(None, None, m.group(1)))

    for regex in (HOUSE_RE, REL_HOUSE_RE):
        for m in regex.finditer(folded):
            number = house_norm(m.group(1))
            digits = re.match(r"\d+", number).group()
            if digits in taken and regex is REL_HOUSE_RE:
                continue
            if number not in ev.houses:
                ev.houses.append(number)
    m = DISTANCE_RE.search(folded)
    if m:
        ev.distance_m = int(m.group(1))
    ev.intersection = bool(INTERSECTION_RE.search(folded + " "))
    ev.opposite = bool(OPPOSITE_RE.search(folded))
    ev.near = bool(NEAR_RE.search(folded))
    ev.stop = bool(STOP_RE.search(folded))

    for i, tok in enumerate(ev.tokens):
        if tok in STREET_MARKERS or ev.lemmas[i] in ("вулиця", "провулок", "проспект"):
            ev.marked.update({i + 1, i + 2, i + 3})
        if tok.startswith(("перехрест", "перетин", "перекрест")) or tok in ("розі", "ріг", "кут"):
            ev.marked.update(range(i + 1, i + 8))
        if i > 0 and ev.tokens[i - 1] not in ("№", "#") and tok[0].isdigit():
            ev.marked.update({i - 1, i - 2, i + 1})  # "Шевченка 12", "Садова, 5", "55 Орлика"
        if tok in SETTLEMENT_CUES or tok.startswith("сел"):
            ev.settlement_cued.update({i + 1, i + 2})
        if ev.lemmas[i] in ("вулиця", "провулок") and i > 0:
            ev.marked.add(i - 1)  # "Шевченко улица"
    return ev


def parse_landmark(value: str) -> RefMention | None:
    """One entry of the request's ``landmarks`` list ("ОП-17", "К-204", "Центральний ринок")."""
    text = str(value).strip()
    if not text:
        return None
    folded = fold(text)
    digits = re.search(r"\d+", folded)
    kind = None
    if re.match(r"^(?:" + MANHOLE_WORD + r"\s*)?[квт]\s*[-–]?\s*\d", folded):
        kind = "manhole"
    elif re.match(r"^(?:" + POLE_WORD + r"|оп\b|оп\s*[-–])", folded):
        kind = "pole"
    stripped = re.sub(r"^(?:" + POLE_WORD + "|" + MANHOLE_WORD + r")\s*", "", folded)
    return RefMention(
        raw=text,
        norm=ref_norm(stripped),
        kind=kind,
        digits=digits.group() if digits else "",
        prefix="оп" if re.match(r"^оп\s*[-–.]?\s*\d", stripped) else "",
    )
