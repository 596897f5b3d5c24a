"""Evidence -> candidates and scores: the locate() domain function and its result.

``locate()`` reads the text (``parse``), gathers once what every strategy needs (the
settlement, streets and references named, the phone's or the photo's fix: a ``Context``), runs
the strategies in their order of trust (``strategies.STRATEGIES``: a pair of landmark
references, a reference, an address, a named place, a street intersection, a street with or
without the fix, the fix alone) until one finds candidates, then ranks them. Ambiguity is never
hidden: when the evidence fits several places equally well the answer keeps a low confidence
and lists the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import geo
from .explain import explain
from .match import find_settlement, find_streets, pick_street
from .parse import Evidence, parse, parse_landmark
from .registry import Vocabulary, ensure_fresh, vocabulary
from .strategies import SCORES, STRATEGIES, Candidate, Context, by_gps

__all__ = ["Candidate", "LocateResult", "locate"]

DEFAULT_ACCURACY_M = 50  # of a phone's fix sent without its accuracy
PHOTO_ACCURACY_M = 30  # of a photo's EXIF position sent without one


@dataclass
class LocateResult:
    candidate: Candidate | None
    confidence: float
    explanation: str
    evidence: list[dict] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    ambiguous: bool = False


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
    gps, accuracy, evidence = _fix(lat, lon, accuracy_m, photo_lat, photo_lon)
    ctx = _context(ev, vocab, landmarks, sources, gps, accuracy, evidence)
    cands: list[Candidate] = []
    for strategy in STRATEGIES:
        cands = strategy(ev, ctx)
        if cands:
            break
    return _rank(cands, ctx)


def _fix(lat, lon, accuracy_m, photo_lat, photo_lon) -> tuple:
    """(x, y) of the phone's fix, else of the photo's EXIF position, or None; its accuracy in
    metres; the evidence list begun with what the fix was."""
    if lat is not None and lon is not None:
        accuracy = float(accuracy_m or DEFAULT_ACCURACY_M)
        return geo.to_xy(lon, lat), accuracy, [{"type": "gps", "accuracy_m": accuracy}]
    if photo_lat is not None and photo_lon is not None:
        accuracy = float(accuracy_m or PHOTO_ACCURACY_M)
        return (
            geo.to_xy(photo_lon, photo_lat),
            accuracy,
            [{"type": "photo_gps", "accuracy_m": accuracy}],
        )
    return None, float(accuracy_m or DEFAULT_ACCURACY_M), []


def _context(
    ev: Evidence, vocab: Vocabulary, landmarks, sources, gps, accuracy, evidence
) -> Context:
    """What the text names, matched against the vocabulary (of the ``sources`` layers only)."""
    streets = (
        vocab.streets if sources is None else [s for s in vocab.streets if s.layer_id in sources]
    )
    places = vocab.places if sources is None else [p for p in vocab.places if p.layer_id in sources]
    settlement, settlement_tokens = find_settlement(ev, vocab.settlements)
    mentions = find_streets(ev, streets, settlement_tokens)
    refs = list(ev.refs)
    for value in landmarks or []:
        m = parse_landmark(value)
        if m and m.norm not in {r.norm for r in refs}:
            refs.append(m)
    if settlement:
        evidence.append({"type": "settlement", "name": settlement})
    for m in mentions:
        evidence.append(
            {"type": "street", "names": sorted({s.ref for s in m.streets}), "marked": m.marked}
        )
    for r in refs:
        evidence.append({"type": "landmark_ref", "ref": r.raw, "kind": r.kind})
    chosen = [
        (m, pick_street(m, settlement, vocab.default_settlement, ev, gps, accuracy))
        for m in mentions
    ]
    return Context(vocab, sources, gps, accuracy, settlement, mentions, chosen, refs, places,
                   evidence)  # fmt: skip


def _rank(cands: list[Candidate], ctx: Context) -> LocateResult:
    """The best of the candidates and how sure it is: the fix decides among several and
    checks a single one; several that remain keep the answer unsure."""
    gps, accuracy = ctx.gps, ctx.accuracy
    if gps and len(cands) > 1:
        cands = by_gps(cands, gps, accuracy)
        if len(cands) == 1 and cands[0].basis.endswith("+gps"):
            cands[0].score = SCORES["gps_pick"]
    ambiguous = len(cands) > 1
    best = max(cands, key=lambda c: c.score) if cands else None
    if best and ambiguous:
        best.score = min(best.score, SCORES["ambiguous"])
    gps_m = None
    if best and gps and best.basis != "gps":
        gps_m = geo.ground_m((best.x, best.y), gps)
        if gps_m <= max(2 * accuracy, 75):
            best.score = min(SCORES["highest"], best.score + SCORES["gps_agrees"])
        elif gps_m > max(5 * accuracy, 1000) and not ambiguous:
            best.score = max(SCORES["lowest"], best.score - SCORES["gps_disagrees"])
    confidence = round(best.score, 3) if best else 0.0
    text_out = explain(best, cands, ambiguous, gps_m, ctx.settlement, ctx.evidence)
    return LocateResult(best, confidence, text_out, ctx.evidence, cands, ambiguous)
