"""The ways of placing a report, in order of trust, and the scores they give.

Each strategy takes the parsed text (``Evidence``) and what ``resolve`` gathered for it once
(``Context``: the streets and settlement named, the references, the phone's fix) and returns
the candidates it finds, or nothing; the first one that finds any decides (``STRATEGIES``).
A strategy may add what it looked at to ``ctx.evidence``. Every score and confidence is in
``SCORES``, every uncertainty in ``UNCERTAINTY_M``.

Staff-only layers (utility poles, manholes) may be used for locating, because residents read
their numbers off the street; a candidate carries only the reference, the kind and the point
(plus the public street and settlement names around it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import geo
from .match import StreetMention, find_places
from .parse import Evidence, RefMention
from .registry import Place, Vocabulary
from .text import fold, ref_norm, street_key

__all__ = ["SCORES", "STRATEGIES", "UNCERTAINTY_M", "Candidate", "Context", "by_gps"]

# Scores of candidates (0..1) by what placed them, and how ``resolve`` adjusts the best one.
SCORES = {
    "between": 0.85,  # midway between two poles of one layer
    "ref": 0.9,  # the one landmark with the reference given
    "ref_many": 0.2,  # each of several landmarks with it
    "ref_alone": 0.45,  # at most: a pole number with no street, settlement or fix to check it
    "address": 0.85,  # the house with the number given
    "address_near": 0.55,  # a house a few numbers off, on the same side of the street
    "address_elsewhere": 0.3,  # the street is not in the settlement named
    "place": 0.75,  # the one stop or facility named
    "place_many": 0.2,  # each of several
    "place_off_street": 0.4,  # at most, when the street named is elsewhere
    "intersection": 0.75,  # where the two streets named cross
    "intersection_distance": 0.6,  # "50 m from the corner": somewhere that far along
    "street_gps": 0.6,  # the point of the street named nearest the phone's fix
    "street_gps_far": 0.25,  # the same, with the fix far from that street
    "street": 0.2,  # the middle of the street named, nothing else known
    "gps": 0.65,  # the fix alone, accurate to GPS_ACCURATE_M
    "gps_fair": 0.5,  # the fix alone, accurate to GPS_FAIR_M
    "gps_poor": 0.3,  # the fix alone, less accurate
    "gps_pick": 0.8,  # the fix picked one of several candidates
    "ambiguous": 0.3,  # at most, when several candidates remain
    "gps_agrees": 0.05,  # added when the fix agrees with the best candidate
    "gps_disagrees": 0.1,  # taken off when the fix is far from it
    "highest": 0.97,
    "lowest": 0.1,  # what a disagreeing fix leaves at least
}
# Uncertainty (ground metres) of candidates by what placed them.
UNCERTAINTY_M = {
    "between": 10.0,  # at least; half the distance between the two poles
    "ref": 8.0,
    "address": 15.0,  # at least; the spread of the buildings of the address
    "address_near": 50.0,  # at least, as above
    "place": 25.0,
    "place_opposite": 40.0,  # "навпроти зупинки"
    "intersection": 20.0,
    "distance": 15.0,  # added to the distance typed from an intersection
    "along_gps": 20.0,  # that far along, on the side the fix is on
    "street_gps": 15.0,  # at least; the fix's accuracy
}
GPS_ACCURATE_M = 20
GPS_FAIR_M = 30
PAIR_M = 150  # two poles of a pair stand at most this far apart
STREET_RADIUS_M = 60  # a landmark "on" a street named stands this close to it
PLACE_STREET_M = 150  # a stop or facility "on" a street named stands this close to it

POLE_KINDS = ["pole"]
MANHOLE_KINDS = ["manhole"]
POINT_KINDS = ["pole", "manhole", "stop", "facility"]


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
class Context:
    """What every strategy may use, gathered once per locate() call."""

    vocabulary: Vocabulary
    sources: list[int] | None  # layer ids to search (None: every landmark source)
    gps: tuple[float, float] | None  # the phone's (or the photo's) fix, EPSG:3857
    accuracy: float  # of the fix, metres
    settlement: str | None  # named in the text
    mentions: list[StreetMention]  # streets named, in text order
    chosen: list[tuple[StreetMention, list[Place]]]  # each mention with the streets it means
    refs: list[RefMention]  # references typed, and those of the ``landmarks`` field
    places: list[Place]  # stops and facilities to search
    evidence: list[dict]  # what was read, for the answer; strategies add to it

    @property
    def marked(self) -> list[tuple[StreetMention, list[Place]]]:
        """The mentions a street word marked ("вул. Садова"), or all of them if none was."""
        return [(m, s) for m, s in self.chosen if m.marked] or self.chosen


# --- helpers -------------------------------------------------------------------------------


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


def _settle(hits: list, chosen: list, settlement: str | None) -> list:
    """Narrow hits by the settlement and the streets named (``chosen``: (mention, streets)
    pairs; those of marked mentions count, or all if none is marked)."""
    if settlement:
        hits = [h for h in hits if h.settlement == settlement] or hits
    marked = [ss for m, ss in chosen if m.marked] or [ss for m, ss in chosen]
    street_ids = [s.id for ss in marked for s in ss]
    if street_ids and len(hits) > 1:
        near = geo.near_streets([h.id for h in hits], street_ids, STREET_RADIUS_M)
        hits = [h for h in hits if h.id in near] or hits
        keys = {" ".join(s.key) for ss in marked for s in ss}
        on = [h for h in hits if h.street_norm in keys]
        if on and len(on) < len(hits):
            hits = on
    return hits


def _merge(cands: list[Candidate], metres: float) -> list[Candidate]:
    """One candidate per place: several hits within ``metres`` are the same spot (a house and
    its outbuilding share an address; a light and a power pole share a number)."""
    out: list[Candidate] = []
    for c in cands:
        if not any(geo.ground_m((c.x, c.y), (o.x, o.y)) <= metres for o in out):
            out.append(c)
    return out


def by_gps(cands: list[Candidate], gps, accuracy: float) -> list[Candidate]:
    """If the phone's fix clearly picks one of several candidates, keep that one."""
    if not gps or len(cands) < 2:
        return cands
    ranked = sorted(cands, key=lambda c: geo.ground_m((c.x, c.y), gps))
    d1 = geo.ground_m((ranked[0].x, ranked[0].y), gps)
    d2 = geo.ground_m((ranked[1].x, ranked[1].y), gps)
    far_apart = d2 > 2 * d1 + 100
    # Same-numbered poles of neighbouring streets (~100 m apart): a good fix still tells them.
    clearly_nearer = d1 <= 2.5 * accuracy + 10 and d2 - d1 >= max(2 * accuracy, 50)
    if d1 <= max(2.5 * accuracy, 150) and (far_apart or clearly_nearer):
        ranked[0].basis += "+gps"
        return [ranked[0]]
    return cands


def _hit_cand(h, basis, score, unc) -> Candidate:
    return Candidate(h.x, h.y, h.kind, h.ref, h.street, h.settlement, h.layer_id, score, unc, basis)


def _house_match(rows, house: str):
    """The address rows of house number ``house`` and whether the number matched (else the
    nearest number on the same side of the street, at most 6 off)."""
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


# --- the strategies, in order of trust -----------------------------------------------------


def between(ev: Evidence, ctx: Context) -> list[Candidate]:
    """Between two poles ("між опорами 17 і 18"): midway between two of one layer standing
    close enough."""
    if not ev.between:
        return []
    first, second = ev.between
    hits = _ref_hits([first, second], ctx.sources)
    a = _settle(hits[first.raw], ctx.chosen, ctx.settlement)
    b = _settle(hits[second.raw], ctx.chosen, ctx.settlement)
    cands = []
    for ha in a:
        for hb in b:
            d = geo.ground_m((ha.x, ha.y), (hb.x, hb.y))
            if ha.layer_id == hb.layer_id and d <= PAIR_M:
                unc = max(UNCERTAINTY_M["between"], d / 2)
                c = _hit_cand(ha, "between", SCORES["between"], unc)
                c.x, c.y = (ha.x + hb.x) / 2, (ha.y + hb.y) / 2
                c.ref = f"{ha.ref}–{hb.ref}"
                cands.append(c)
    ctx.evidence.append({"type": "relation", "relation": "between"})
    return cands


def landmark_refs(ev: Evidence, ctx: Context) -> list[Candidate]:
    """Landmarks with a reference given ("опора 17", "люк К-204"), narrowed by the settlement
    and streets named; several that remain are each a weak candidate."""
    if ev.between:
        return []
    cands = []
    prefixes = {m.raw: m.prefix for m in ctx.refs}
    for raw, found in _ref_hits(ctx.refs, ctx.sources).items():
        found = _settle(found, ctx.chosen, ctx.settlement)
        if prefixes.get(raw):  # "ОП-41": the poles numbered with that prefix, if some are
            typed = [h for h in found if fold(h.ref).startswith(prefixes[raw])]
            found = typed if 0 < len(typed) < len(found) else found
        hits = [_hit_cand(h, "ref", SCORES["ref"], UNCERTAINTY_M["ref"]) for h in found[:50]]
        merged = _merge(hits, 25.0)
        unchecked = not (ctx.chosen or ctx.settlement or ctx.gps)
        for c in merged:
            c.score = SCORES["ref"] if len(merged) == 1 else SCORES["ref_many"]
            if unchecked and c.kind == "pole":  # a pole number alone is never confident
                c.score = min(c.score, SCORES["ref_alone"])
        cands += merged
    return cands


def _on_street(street: Place, house: str, ev: Evidence, ctx: Context) -> list[Candidate]:
    """The house ``house`` of ``street`` (or one a few numbers off)."""
    rows = geo.addresses(" ".join(street.key), street.settlement, ctx.sources)
    # "вулиця Вишнева" and "провулок Вишневий" share a key: keep the houses of this one's type.
    rows = [h for h in rows if street_key(h.street)[0] == street.street_type] or rows
    match, exact = _house_match(rows, house.lower())
    score = SCORES["address"] if exact else SCORES["address_near"]
    if ctx.settlement and street.settlement != ctx.settlement:
        score = SCORES["address_elsewhere"]  # the settlement named has no such street
    # One address is one lot: the largest building stands for it (rows come largest first),
    # the others widen the uncertainty.
    spread = max((geo.ground_m((h.x, h.y), (match[0].x, match[0].y)) for h in match),
                 default=0.0)  # fmt: skip
    least = UNCERTAINTY_M["address" if exact else "address_near"]
    found = []
    for h in match[:1]:
        c = _hit_cand(h, "address", score, max(least, spread))
        c.street, c.ref = street.ref, h.ref
        if ev.opposite:
            c.x, c.y, _ = geo.closest_on(street.id, h.x, h.y)
            c.basis = "address-opposite"
        found.append(c)
    ctx.evidence.append({"type": "house", "number": house, "found": bool(match)})
    return _merge(found, 60.0)


def address(ev: Evidence, ctx: Context) -> list[Candidate]:
    """Street + house number ("Шевченка 12", "навпроти буд. 14 по Садовій"): the first marked
    street that means one street and has the house."""
    for m, streets in ctx.marked:
        house = m.house or (ev.houses[0] if ev.houses else None)
        if not house or len(streets) != 1:
            continue
        cands = _on_street(streets[0], house, ev, ctx)
        if cands:
            return cands
    return []


def named_place(ev: Evidence, ctx: Context) -> list[Candidate]:
    """A stop or facility named ("зупинка Центр", "біля Сільпо"); on the street named, if one
    is named."""
    # Words right after "зупинка" name the stop even if a street has the same name.
    after_stop = {
        j for i, t in enumerate(ev.tokens) if t.startswith(("зупин", "остановк"))
        for j in range(i + 1, i + 4)
    }  # fmt: skip
    street_tokens = {m.position for m in ctx.mentions if m.marked} - after_stop
    settlement_words = [re.sub(r"^\S+\s+", "", s.lower()) for s in ctx.vocabulary.settlements]
    scored = find_places(ev, ctx.places, settlement_words, street_tokens)
    if not scored:
        return []
    score_of = {p.id: sc for sc, p in scored}
    norms = sorted({ref_norm(p.ref) for _, p in scored})
    found = [h for h in geo.refs(norms, POINT_KINDS, ctx.sources) if h.id in score_of]
    found = _settle(found, [], ctx.settlement)
    street_ids = [s.id for m, ss in ctx.chosen if m.marked for s in ss]
    on_street = (
        geo.near_streets([h.id for h in found], street_ids, PLACE_STREET_M) if street_ids else set()
    )
    if on_street:
        found = [h for h in found if h.id in on_street]
    elif found:
        top = max(score_of[h.id] for h in found)
        found = [h for h in found if score_of[h.id] >= top - 0.005]
    found.sort(key=lambda h: -score_of[h.id])
    unc = UNCERTAINTY_M["place_opposite" if ev.opposite else "place"]
    merged = _merge([_hit_cand(h, "place", SCORES["place"], unc) for h in found], 60.0)
    for c in merged:
        c.score = SCORES["place"] if len(merged) == 1 else SCORES["place_many"]
        if street_ids and not on_street:
            c.score = min(c.score, SCORES["place_off_street"])  # the street named is elsewhere
    ctx.evidence.append({"type": "place", "names": sorted({p.ref for _, p in scored})})
    return merged


def _same_town(m: StreetMention, streets: list[Place]) -> list[Place]:
    """The streets ``m`` may name in the settlements of the ones chosen for it."""
    town = {s.settlement for s in streets}
    return [s for s in m.streets if s.settlement in town]


def _corner(a: Place, b: Place, x: float, y: float, ev: Evidence, ctx: Context) -> Candidate:
    """Where ``a`` and ``b`` cross at (x, y), or the distance typed from there along either
    street (the point nearest the phone's fix, if there is one)."""
    c = Candidate(x, y, "intersection", "", f"{a.ref} / {b.ref}", a.settlement, None,
                  SCORES["intersection"], UNCERTAINTY_M["intersection"], "intersection")  # fmt: skip
    if ev.distance_m:
        c.uncertainty_m = ev.distance_m + UNCERTAINTY_M["distance"]
        c.score = SCORES["intersection_distance"]
        if ctx.gps:
            pts = geo.points_along(a.id, x, y, ev.distance_m) + geo.points_along(
                b.id, x, y, ev.distance_m
            )
            px, py = min(pts, key=lambda p: geo.ground_m(p, ctx.gps))
            c.x, c.y, c.uncertainty_m = px, py, UNCERTAINTY_M["along_gps"]
    return c


def intersection(ev: Evidence, ctx: Context) -> list[Candidate]:
    """A street intersection ("на розі Мирної і Тополиної", "50 м від перехрестя ..."): where
    the first two streets named cross. Streets that really cross decide between same-named ones (вулиця / площа
    Соборна)."""
    marked = ctx.marked
    if len(marked) < 2 or not (ev.intersection or ev.distance_m):
        return []
    a_streets = _same_town(*marked[0])
    b_streets = _same_town(*marked[1])
    cross = geo.intersections([s.id for s in a_streets], [s.id for s in b_streets])
    if len(cross) > 1:
        chosen_ids = {s.id for _, ss in marked[:2] for s in ss}
        preferred = [c for c in cross if c[0] in chosen_ids and c[1] in chosen_ids]
        cross = preferred or cross
    cands = []
    for aid, bid, x, y in cross[:10]:
        a = next(s for s in a_streets if s.id == aid)
        b = next(s for s in b_streets if s.id == bid)
        cands.append(_corner(a, b, x, y, ev, ctx))
    if len(cands) > 1 and ctx.gps:
        cands = by_gps(cands, ctx.gps, ctx.accuracy)
    ctx.evidence.append({"type": "relation", "relation": "intersection"})
    return cands


def street_named(ev: Evidence, ctx: Context) -> list[Candidate]:
    """The first street named: its point nearest the phone's fix, else its middle."""
    cands = []
    for _m, streets in ctx.marked[:1]:
        for s in streets[:10]:
            if ctx.gps:
                x, y, d = geo.closest_on(s.id, *ctx.gps)
                score = SCORES["street_gps" if d <= max(2 * ctx.accuracy, 60) else "street_gps_far"]
                c = Candidate(x, y, "street", "", s.ref, s.settlement, s.layer_id, score,
                              max(ctx.accuracy, UNCERTAINTY_M["street_gps"]), "street+gps")  # fmt: skip
            else:
                x, y, half = geo.street_middle(s.id)
                c = Candidate(x, y, "street", "", s.ref, s.settlement, s.layer_id,
                              SCORES["street"], half, "street")  # fmt: skip
            cands.append(c)
    return cands


def gps_fix(ev: Evidence, ctx: Context) -> list[Candidate]:
    """The phone's (or the photo's) fix alone."""
    if not ctx.gps:
        return []
    if ctx.accuracy <= GPS_ACCURATE_M:
        score = SCORES["gps"]
    else:
        score = SCORES["gps_fair"] if ctx.accuracy <= GPS_FAIR_M else SCORES["gps_poor"]
    x, y = ctx.gps
    return [Candidate(x, y, "gps", score=score, uncertainty_m=ctx.accuracy, basis="gps")]


# The first of these that finds a candidate decides.
STRATEGIES = [between, landmark_refs, address, named_place, intersection, street_named, gps_fix]
