"""Evidence -> candidates and scores: the locate() domain function.

Order of trust: a landmark reference (pole, manhole number) or a pair of them, an address
(street + house), a named place (stop, facility), a street intersection, a street with the
phone's fix, the fix alone, a street alone. Ambiguity is never hidden: when the evidence fits
several places equally well the answer keeps a low confidence and lists the candidates.

Staff-only layers (utility poles, manholes) may be used for locating, because residents read
their numbers off the street; what leaves this module for them is only the reference, the
kind and the point (plus the public street and settlement names around it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import geo
from .explain import explain
from .parse import Evidence, RefMention, parse, parse_landmark
from .registry import Place, ensure_fresh, vocabulary
from .text import STREET_TYPES, ref_norm, similar

__all__ = ["Candidate", "LocateResult", "locate"]

POLE_KINDS = ["pole"]
MANHOLE_KINDS = ["manhole"]
POINT_KINDS = ["pole", "manhole", "stop", "facility"]
STREET_RADIUS_M = 60


@dataclass
class Candidate:
    x: float
    y: float
    kind: str
    ref: str = ""
    street: str = ""
    settlement: str = ""
    layer_id: int | None = None
    score: float = 0.0
    uncertainty_m: float = 50.0
    basis: str = ""  # what put it here: ref, between, address, place, intersection, street, gps


@dataclass
class LocateResult:
    candidate: Candidate | None
    confidence: float
    explanation: str
    evidence: list[dict] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    ambiguous: bool = False


STREET_WORDS = {"вулиця", "провулок", "проспект", "бульвар", "площа"}


@dataclass
class StreetMention:
    position: int
    streets: list[Place]
    marked: bool
    house: str | None = None
    fit: dict = field(default_factory=dict)


def _main_matches(ev: Evidence, street: Place, skip: set[int]) -> list[tuple[int, float]]:
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
            if len(tok) >= need and tok[:need] == word[:need]:
                after_street = i > 0 and (
                    ev.tokens[i - 1] in STREET_TYPES or ev.lemmas[i - 1] in STREET_WORDS
                )
                if i in ev.settlement_cued or not after_street:
                    return name, {i}
    return None, set()


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
        if not key:
            continue
        hits, positions = 0, []
        for k in key:
            if k[0].isdigit():
                pos = [i for i, t in enumerate(ev.tokens) if t == k]
            else:
                pos = [
                    i for i, lm in enumerate(lemset)
                    if i not in skip and (similar(lm, k) >= 85 or lm == k)
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
        found.append((score, place))
    if not found:
        return []
    return sorted(found, key=lambda sp: -sp[0])


def _ref_hits(mentions: list[RefMention], layers) -> dict[str, list]:
    out = {}
    for m in mentions:
        if m.kind == "manhole" and m.norm.isdigit():
            norms = [m.norm] + [p + m.norm for p in ("к", "в", "т")]
        else:
            norms = [m.norm]
        kinds = {"pole": POLE_KINDS, "manhole": MANHOLE_KINDS}.get(m.kind, POINT_KINDS)
        out[m.raw] = geo.refs(norms, kinds, layers)
    return out


def _settle(hits: list, chosen: list, settlement: str | None) -> tuple:
    """Narrow hits by the streets and settlement named; returns (hits, narrowed by what).
    ``chosen``: (mention, streets) pairs, marked mentions first."""
    why = []
    if settlement:
        kept = [h for h in hits if h.settlement == settlement]
        if kept:
            hits, why = kept, why + ["settlement"]
    marked = [ss for m, ss in chosen if m.marked] or [ss for m, ss in chosen]
    street_ids = [s.id for ss in marked for s in ss]
    if street_ids and len(hits) > 1:
        near = geo.near_streets([h.id for h in hits], street_ids, STREET_RADIUS_M)
        kept = [h for h in hits if h.id in near]
        if kept:
            hits, why = kept, why + ["street"]
        keys = {" ".join(s.key) for ss in marked for s in ss}
        on = [h for h in hits if h.street_norm in keys]
        if on and len(on) < len(hits):
            hits = on
    return hits, why


def _merge(cands: list[Candidate], metres: float = 40.0) -> list[Candidate]:
    """One candidate per place: several hits within ``metres`` are the same spot (a house and
    its outbuilding share an address; a light and a power pole share a number)."""
    out: list[Candidate] = []
    for c in cands:
        if not any(geo.ground_m((c.x, c.y), (o.x, o.y)) <= metres for o in out):
            out.append(c)
    return out


def _by_gps(cands: list[Candidate], gps, accuracy: float) -> list[Candidate]:
    """If the phone's fix clearly picks one of several candidates, keep that one."""
    if not gps or len(cands) < 2:
        return cands
    ranked = sorted(cands, key=lambda c: geo.ground_m((c.x, c.y), gps))
    d1 = geo.ground_m((ranked[0].x, ranked[0].y), gps)
    d2 = geo.ground_m((ranked[1].x, ranked[1].y), gps)
    if d1 <= max(2.5 * accuracy, 150) and d2 > 2 * d1 + 100:
        ranked[0].basis += "+gps"
        return [ranked[0]]
    return cands


def _hit_cand(h, basis, score, unc) -> Candidate:
    return Candidate(h.x, h.y, h.kind, h.ref, h.street, h.settlement, h.layer_id, score, unc, basis)


def _pick_street(m: StreetMention, settlement, default, ev, gps, accuracy) -> list[Place]:
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


def _house_match(rows, house: str):
    exact = [h for h in rows if h.ref.lower().replace(" ", "") == house]
    if exact:
        return exact, True
    digits = re.match(r"\d+", house)
    if not digits:
        return [], False
    n = int(digits.group())
    same = [
        h for h in rows if re.match(r"\d+", h.ref) and int(re.match(r"\d+", h.ref).group()) == n
    ]
    if same:
        return same[:1], True
    near = [
        h
        for h in rows
        if re.match(r"\d+", h.ref)
        and (int(re.match(r"\d+", h.ref).group()) - n) % 2 == 0
        and abs(int(re.match(r"\d+", h.ref).group()) - n) <= 6
    ]
    near.sort(key=lambda h: abs(int(re.match(r"\d+", h.ref).group()) - n))
    return near[:1], False


def locate(
    text: str = "",
    landmarks: list[str] | None = None,
    lat: float | None = None,
    lon: float | None = None,
    accuracy_m: float | None = None,
    photo_lat: float | None = None,
    photo_lon: float | None = None,
    sources: list[int] | None = None,
) -> LocateResult:
    """Best point for what a resident typed and what their phone knows (see module doc).

    ``sources`` are layer ids to search (None: every landmark source)."""
    ensure_fresh()
    vocab = vocabulary()
    ev = parse(text or "")
    evidence: list[dict] = []
    gps, accuracy = None, float(accuracy_m or 50)
    if lat is not None and lon is not None:
        gps = geo.to_xy(lon, lat)
        evidence.append({"type": "gps", "accuracy_m": accuracy})
    elif photo_lat is not None and photo_lon is not None:
        gps, accuracy = geo.to_xy(photo_lon, photo_lat), float(accuracy_m or 30)
        evidence.append({"type": "photo_gps", "accuracy_m": accuracy})

    streets = (
        vocab.streets if sources is None else [s for s in vocab.streets if s.layer_id in sources]
    )
    places = vocab.places if sources is None else [p for p in vocab.places if p.layer_id in sources]
    settlement, settlement_tokens = find_settlement(ev, vocab.settlements)
    mentions = find_streets(ev, streets, settlement_tokens)
    settlement_words = [re.sub(r"^\S+\s+", "", s.lower()) for s in vocab.settlements]
    ref_mentions = list(ev.refs)
    for value in landmarks or []:
        m = parse_landmark(value)
        if m and m.norm not in {r.norm for r in ref_mentions}:
            ref_mentions.append(m)
    if settlement:
        evidence.append({"type": "settlement", "name": settlement})
    for m in mentions:
        evidence.append(
            {"type": "street", "names": sorted({s.ref for s in m.streets}), "marked": m.marked}
        )
    for r in ref_mentions:
        evidence.append({"type": "landmark_ref", "ref": r.raw, "kind": r.kind})

    chosen = [
        (m, _pick_street(m, settlement, vocab.default_settlement, ev, gps, accuracy))
        for m in mentions
    ]
    cands: list[Candidate] = []
    # 1. Between two poles.
    if ev.between:
        hits = _ref_hits(list(ev.between), sources)
        a, b = hits[ev.between[0].raw], hits[ev.between[1].raw]
        a, _ = _settle(a, chosen, settlement)
        b, _ = _settle(b, chosen, settlement)
        for ha in a:
            for hb in b:
                d = geo.ground_m((ha.x, ha.y), (hb.x, hb.y))
                if ha.layer_id == hb.layer_id and d <= 150:
                    c = _hit_cand(ha, "between", 0.85, max(10.0, d / 2))
                    c.x, c.y = (ha.x + hb.x) / 2, (ha.y + hb.y) / 2
                    c.ref = f"{ha.ref}–{hb.ref}"
                    cands.append(c)
        evidence.append({"type": "relation", "relation": "between"})
    # 2. Landmark references.
    if not cands and ref_mentions:
        hits = _ref_hits([r for r in ref_mentions if not ev.between], sources)
        for found in hits.values():
            found, why = _settle(found, chosen, settlement)
            merged = _merge([_hit_cand(h, "ref", 0.9, 8.0) for h in found[:50]], 25.0)
            for c in merged:
                c.score = 0.9 if len(merged) == 1 else 0.2
            cands += merged
    # 4. Street + house number, intersections, street alone.
    marked = [(m, s) for m, s in chosen if m.marked] or chosen
    if not cands:
        for m, ss in marked:
            house = m.house or (ev.houses[0] if ev.houses else None)
            if not house or len(ss) != 1:
                continue
            street = ss[0]
            rows = geo.addresses(" ".join(street.key), street.settlement, sources)
            match, exact = _house_match(rows, house.lower())
            score = 0.85 if exact else 0.55
            if settlement and street.settlement != settlement:
                score = 0.3  # the settlement named has no such street
            found = []
            # One address is one lot: the largest building stands for it (rows come largest
            # first), the others widen the uncertainty.
            spread = max((geo.ground_m((h.x, h.y), (match[0].x, match[0].y)) for h in match),
                         default=0.0)  # fmt: skip
            for h in match[:1]:
                c = _hit_cand(h, "address", score, max(15.0 if exact else 50.0, spread))
                c.street, c.ref = street.ref, h.ref
                if ev.opposite:
                    c.x, c.y, _ = geo.closest_on(street.id, h.x, h.y)
                    c.basis = "address-opposite"
                found.append(c)
            cands += _merge(found, 60.0)
            evidence.append({"type": "house", "number": house, "found": bool(match)})
            if cands:
                break
    # 3. Named places (stops, facilities); on the street named, if one is named.
    # Words right after "зупинка" name the stop even if a street has the same name.
    after_stop = {
        j for i, t in enumerate(ev.tokens) if t.startswith(("зупин", "остановк"))
        for j in range(i + 1, i + 4)
    }  # fmt: skip
    street_tokens = {m.position for m in mentions if m.marked} - after_stop
    scored = [] if cands else find_places(ev, places, settlement_words, street_tokens)
    if scored:
        score_of = {p.id: sc for sc, p in scored}
        norms = sorted({_norm_place(p) for _, p in scored})
        found = [h for h in geo.refs(norms, POINT_KINDS, sources) if h.id in score_of]
        found, _ = _settle(found, [], settlement)
        street_ids = [s.id for m, ss in chosen if m.marked for s in ss]
        on_street = (
            geo.near_streets([h.id for h in found], street_ids, 150) if street_ids else set()
        )
        if on_street:
            found = [h for h in found if h.id in on_street]
        elif found:
            top = max(score_of[h.id] for h in found)
            found = [h for h in found if score_of[h.id] >= top - 0.01]
        found.sort(key=lambda h: -score_of[h.id])
        unc = 40.0 if ev.opposite else 25.0
        merged = _merge([_hit_cand(h, "place", 0.75, unc) for h in found], 60.0)
        for c in merged:
            c.score = 0.75 if len(merged) == 1 else 0.2
            if street_ids and not on_street:
                c.score = min(c.score, 0.4)  # the street named is elsewhere
        cands += merged
        evidence.append({"type": "place", "names": sorted({p.ref for _, p in scored})})
    if not cands and len(marked) >= 2 and (ev.intersection or ev.distance_m):
        # Streets that really cross decide between same-named ones (вулиця / площа Соборна).
        def same_place(m, ss):
            town = {s.settlement for s in ss}
            return [s for s in m.streets if s.settlement in town]

        a_streets = same_place(*marked[0])
        b_streets = same_place(*marked[1])
        cross = geo.intersections([s.id for s in a_streets], [s.id for s in b_streets])
        if len(cross) > 1:
            chosen_ids = {s.id for _, ss in marked[:2] for s in ss}
            preferred = [c for c in cross if c[0] in chosen_ids and c[1] in chosen_ids]
            cross = preferred or cross
        for aid, bid, x, y in cross[:10]:
            a_name = next(s for s in a_streets if s.id == aid)
            b_name = next(s for s in b_streets if s.id == bid)
            c = Candidate(x, y, "intersection", "", f"{a_name.ref} / {b_name.ref}",
                          a_name.settlement, None, 0.75, 20.0, "intersection")  # fmt: skip
            if ev.distance_m:
                c.uncertainty_m = ev.distance_m + 15.0
                c.score = 0.6
                if gps:
                    pts = geo.points_along(aid, x, y, ev.distance_m) + geo.points_along(
                        bid, x, y, ev.distance_m
                    )
                    px, py = min(pts, key=lambda p: geo.ground_m(p, gps))
                    c.x, c.y, c.uncertainty_m = px, py, 20.0
            cands.append(c)
        if len(cands) > 1:
            cands = _by_gps(cands, gps, accuracy) if gps else cands
        evidence.append({"type": "relation", "relation": "intersection"})
    if not cands and marked:
        for _m, ss in marked[:1]:
            for street in ss[:10]:
                if gps:
                    x, y, d = geo.closest_on(street.id, *gps)
                    ok = d <= max(2 * accuracy, 60)
                    c = Candidate(x, y, "street", "", street.ref, street.settlement, street.layer_id,
                                  0.6 if ok else 0.25, max(accuracy, 15.0), "street+gps")  # fmt: skip
                else:
                    x, y, half = geo.street_middle(street.id)
                    c = Candidate(x, y, "street", "", street.ref, street.settlement,
                                  street.layer_id, 0.2, half, "street")  # fmt: skip
                cands.append(c)
    # 5. The fix alone.
    if not cands and gps:
        score = 0.65 if accuracy <= 20 else 0.5 if accuracy <= 30 else 0.3
        cands.append(
            Candidate(gps[0], gps[1], "gps", score=score, uncertainty_m=accuracy, basis="gps")
        )

    # Agreement with the fix decides among several, and checks a single answer.
    if gps and len(cands) > 1:
        cands = _by_gps(cands, gps, accuracy)
        if len(cands) == 1 and cands[0].basis.endswith("+gps"):
            cands[0].score = 0.8
    ambiguous = len(cands) > 1
    best = max(cands, key=lambda c: c.score) if cands else None
    if best and ambiguous:
        best.score = min(best.score, 0.3)
    gps_m = None
    if best and gps and best.basis != "gps":
        gps_m = geo.ground_m((best.x, best.y), gps)
        if gps_m <= max(2 * accuracy, 75):
            best.score = min(0.97, best.score + 0.05)
        elif gps_m > max(5 * accuracy, 1000) and not ambiguous:
            best.score = max(0.1, best.score - 0.1)
    confidence = round(best.score, 3) if best else 0.0
    text_out = explain(best, cands, ambiguous, gps_m, settlement, evidence)
    return LocateResult(best, confidence, text_out, evidence, cands, ambiguous)


def _norm_place(place: Place) -> str:
    return ref_norm(place.ref)
