"""The parsed text against the registry's vocabulary: which settlement, streets (with their
house numbers) and named places (stops, facilities) it names, and which of several streets of
the same name is meant. Fuzzy, since residents type in a hurry (typos, surzhyk, Latin letters,
cases: "на Садовій", "вулицею Тараса Шевченка"); the strategies take it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import geo
from .normalize import ru_lemma
from .parse import Evidence
from .registry import Place
from .text import STREET_TYPES, similar

__all__ = ["StreetMention", "find_places", "find_settlement", "find_streets", "pick_street"]

STREET_WORDS = {"вулиця", "провулок", "проспект", "бульвар", "площа"}


@dataclass
class StreetMention:
    """A street named at token ``position``: the streets it may mean, whether a street word
    marked it ("вул.", "на", "по"), the house number after it and how well each street fits."""

    position: int
    streets: list[Place]
    marked: bool
    house: str | None = None
    fit: dict = field(default_factory=dict)


def _main_matches(ev: Evidence, street: Place, skip: set[int]) -> list[tuple[int, float]]:
    """(position, similarity 0..100) of the words of the text that may be the street's main
    word (its last one: "Шевченка" of "вулиця Тараса Шевченка")."""
    main = street.key[-1] if street.key else ""
    surface = street.words[-1] if street.words else main
    out = []
    for i, tok in enumerate(ev.tokens):
        if len(tok) < 3 or tok[0].isdigit() or i in skip:
            continue
        s = max(similar(ev.lemmas[i], main), similar(tok, main), similar(tok, surface))
        if s < 100 and len(main) >= 6 and tok[:5] == main[:5] and len(tok) >= 6:
            s = max(s, 90.0)
        n = min(len(tok), len(main)) - 1
        if s < 78 and i in ev.marked and n >= 4 and abs(len(tok) - len(main)) <= 3:
            if tok[:n] == main[:n] or ev.lemmas[i][:n] == main[:n]:
                s = 85.0
        if s < 78 and i in ev.marked and ru_lemma(tok) == main:
            s = 95.0  # a Russian case form after a street word: "улица Мира" -> "Миру"
        if s >= 100 or (s >= 78 and i in ev.marked):
            out.append((i, s))
    return out


def _plausible(ev: Evidence, streets: list[Place], skip: set[int]) -> list[Place]:
    """Streets whose main word is at all like a word of the text (one C-speed pass of
    rapidfuzz over the distinct names), so the careful matching runs on a few, not all."""
    index: dict[str, list[int]] = {}
    for n, street in enumerate(streets):
        for word in {street.key[-1] if street.key else "", (street.words or [""])[-1]}:
            if word:
                index.setdefault(word, []).append(n)
    names = list(index)
    picked: set[int] = set()
    for i, tok in enumerate(ev.tokens):
        if len(tok) < 3 or tok[0].isdigit() or i in skip:
            continue
        for form in {tok, ev.lemmas[i], tok.replace("и", "і")}:
            for name, _, _ in process.extract(
                form, names, scorer=OSA.normalized_similarity, score_cutoff=0.5, limit=None
            ):
                picked.update(index[name])
    return [streets[n] for n in sorted(picked)]


def find_streets(ev: Evidence, streets: list[Place], skip: set[int]) -> list[StreetMention]:
    """The streets named in the text, one mention per position (in text order) with the
    streets it may mean and the house number after it; words in ``skip`` (the settlement's)
    name no street."""
    by_pos: dict[int, list[tuple[float, Place]]] = {}
    fit: dict[tuple[int, int], float] = {}
    for street in _plausible(ev, streets, skip):
        for i, s in _main_matches(ev, street, skip):
            others = street.key[:-1]
            near = ev.lemmas[max(0, i - 3) : i] + ev.lemmas[i + 1 : i + 3]
            cover = sum(1 for k in others if any(similar(k, n) >= 82 for n in near))
            if others and not cover and i not in ev.marked and (s < 100 or len(ev.tokens[i]) < 6):
                continue
            score = s / 100 + 0.1 * cover
            by_pos.setdefault(i, []).append((score, street))
            # How much of the name was given: "Садовій" fits "Садова" better than
            # "Миколи Садовського"; similarity first, then the share of the name's words.
            exact = 6 if street.words and ev.tokens[i] == street.words[-1] else 0
            fit[(i, street.id)] = s + exact + 10 * (cover + 1) / len(street.key)
    mentions = []
    used: set[int] = set()
    for i in sorted(by_pos, key=lambda p: -max(s for s, _ in by_pos[p])):
        if i in used:
            continue
        best = max(s for s, _ in by_pos[i])
        places = [p for s, p in by_pos[i] if s >= best - 0.15]
        used.add(i)
        house = None
        if i + 1 < len(ev.tokens) and ev.tokens[i + 1][0].isdigit():
            house = ev.tokens[i + 1]
        elif (
            i + 2 < len(ev.tokens)
            and ev.tokens[i + 2][0].isdigit()
            and (ev.tokens[i + 1] in ("буд", "б", "будинок", "№", "д"))
        ):
            house = ev.tokens[i + 2]
        mention = StreetMention(i, places, i in ev.marked, house)
        mention.fit = {p.id: fit[(i, p.id)] for p in places}
        mentions.append(mention)
    return sorted(mentions, key=lambda m: m.position)


def find_settlement(ev: Evidence, names: list[str]) -> tuple[str | None, set[int]]:
    """The settlement named in the text and the token positions naming it ("с. Пултівці",
    "в Новоселівці"); a word right after a street word is a street ("вул. Весела")."""
    for name in names:
        word = re.sub(r"^(м|с|смт|с-ще)\.?\s+", "", name.lower()).replace("’", "'")
        need = max(4, len(word) - 2)
        for i, tok in enumerate(ev.tokens):
            slip = (
                len(word) >= 6 and len(tok) >= 6
                and max(similar(tok[: len(word)], word), similar(tok, word)) >= 85
            )  # fmt: skip
            if len(tok) >= need and tok[:need] == word[:need] or slip:
                after_street = i > 0 and (
                    ev.tokens[i - 1] in STREET_TYPES or ev.lemmas[i - 1] in STREET_WORDS
                )
                if i in ev.settlement_cued or not after_street:
                    return name, {i}
    return None, set()


def _stem(lemma: str, key: str) -> bool:
    """A word's lemma and a name's share the stem ("стара" -> "стар", "Старий млин")."""
    n = max(4, len(key) - 2)
    return len(lemma) >= 4 and lemma[:n] == key[:n]


def find_places(
    ev: Evidence, places: list[Place], settlement_words: list[str], skip: set[int]
) -> list:
    """(score, place) for stops and facilities named in the text, best first; words that
    already name a street (``skip``) do not count."""
    found = []
    lemset = ev.lemmas
    cues = [i for i, t in enumerate(ev.tokens) if re.match(r"зупин|біля|навпроти|коло", t)]
    for place in places:
        key = [k for k in place.key if not any(k[:6] == w[:6] for w in settlement_words if w)]
        if not key and ev.stop:
            key = place.key  # a stop named after its village ("зупинка Криниці")
        if not key:
            continue
        hits, positions = 0, []
        for k in key:
            if k[0].isdigit():
                pos = [i for i, t in enumerate(ev.tokens) if t == k]
            else:
                pos = [
                    i for i, lm in enumerate(lemset)
                    if i not in skip and (similar(lm, k) >= 85 or lm == k or _stem(lm, k))
                ]  # fmt: skip
            if pos:
                hits += 1
                positions.append(pos[0])
        if any(k[0].isdigit() for k in key) and not any(
            ev.tokens[p][0].isdigit() for p in positions
        ):
            continue
        alpha = [k for k in key if not k[0].isdigit()]
        # A proper name is usually the last word ("Супермаркет «Сільпо»"): enough on its own.
        last = key[-1]
        named = (
            len(key) >= 2 and not last[0].isdigit() and len(last) >= 5
            and any(similar(lm, last) >= 85 for i, lm in enumerate(lemset) if i not in skip)
        )  # fmt: skip
        if not alpha or hits < len(key) and (hits < 2 or hits / len(key) < 0.66) and not named:
            continue
        if len(alpha) == 1 and len(key) == 1:
            if (
                place.kind == "stop"
                and not ev.stop
                and not any(0 < positions[0] - c <= 2 for c in cues)
            ):
                continue
            if place.kind != "stop" and not any(0 < positions[0] - c <= 2 for c in cues):
                continue
        score = hits / len(key) + (0.1 if place.kind == "stop" and ev.stop else 0)
        score += 0.01 * hits  # the full name given beats a name it contains ("Цукровий завод")
        found.append((score, place))
    if not found:
        return []
    return sorted(found, key=lambda sp: -sp[0])


def pick_street(m: StreetMention, settlement, default, ev, gps, accuracy) -> list[Place]:
    """Which of the streets ``m`` may name is meant: those of the settlement named, of the
    street type typed next to it, near the phone's fix, of the ``default`` settlement, the
    best fit of the name, and a plain вулиця over a площа or провулок of the same name."""
    streets = m.streets
    if settlement:
        streets = [s for s in streets if s.settlement == settlement] or streets
    types = {
        STREET_TYPES[t]
        for t in ev.tokens[max(0, m.position - 3) : m.position + 2]
        if t in STREET_TYPES
    }
    if types:
        streets = [s for s in streets if s.street_type in types] or streets
    if len({s.settlement for s in streets}) > 1 and gps:
        dist = geo.nearest_street_distance([s.id for s in streets], *gps)
        close = [s for s in streets if dist[s.id] <= max(3 * accuracy, 400)]
        streets = close or streets
    if len({s.settlement for s in streets}) > 1 and not settlement:
        streets = [s for s in streets if s.settlement == default] or streets
    if len(streets) > 1:
        best = max(m.fit.get(s.id, 0) for s in streets)
        streets = [s for s in streets if m.fit.get(s.id, 0) >= best - 0.01]
    if len(streets) > 1:
        plain = [s for s in streets if s.street_type == "вулиця"]
        streets = plain if len(plain) == 1 else streets
    return streets
