"""The locator's answer as JSON, for POST /api/v1/locate and for report intake (the candidates
offered with an unsure answer): the point, its uncertainty and confidence, the explanation,
the evidence read, the candidates, and for an unsure answer the question to ask with up to
five labelled choices (question.py).

A candidate names its layer only when the layer is public; of a staff-only layer (poles,
manholes) it carries the reference, the kind and the point only.
"""

from __future__ import annotations

from core.errors import PortalError
from layers.models import Layer

from . import geo
from .question import ask
from .resolve import Candidate, LocateResult

__all__ = ["NotLocated", "render"]

MAX_CANDIDATES = 20


class NotLocated(PortalError):
    """422 problem+json with the answer's body: nothing could be located."""

    status = 422
    code = "not-located"


def _candidate(c: Candidate, public_layers: set[int], layer_slugs: dict[int, str]) -> dict:
    lon, lat = geo.to_lonlat(c.x, c.y)
    return {
        "lat": round(lat, 7),
        "lon": round(lon, 7),
        "kind": c.kind,
        "ref": c.ref,
        "street": c.street,
        "settlement": c.settlement,
        "score": round(c.score, 3),
        "basis": c.basis,
        # The layer is named only when it is public (staff layers: ref, kind and point only).
        "layer": layer_slugs.get(c.layer_id) if c.layer_id in public_layers else None,
    }


def render(result: LocateResult) -> dict:
    """The JSON body of ``result`` (``lat``, ``lon`` and ``uncertainty_m`` null when nothing
    was located)."""
    public = set(Layer.objects.filter(access="public").values_list("pk", flat=True))
    slugs = dict(Layer.objects.values_list("pk", "slug"))
    body = {
        "lat": None,
        "lon": None,
        "uncertainty_m": None,
        "confidence": result.confidence,
        "explanation": result.explanation,
        "evidence": result.evidence,
        "candidates": [_candidate(c, public, slugs) for c in result.candidates[:MAX_CANDIDATES]],
        "ambiguous": result.ambiguous,
        "question": None,
        "choices": [],
    }
    asked = ask(result)
    if asked:
        body["question"] = asked["question"]
        for choice in asked["choices"]:
            point = body["candidates"][choice["index"]]
            body["choices"].append({**choice, "lat": point["lat"], "lon": point["lon"]})
    best = result.candidate
    if best is not None:
        point = _candidate(best, public, slugs)
        body.update(lat=point["lat"], lon=point["lon"], uncertainty_m=round(best.uncertainty_m, 1))
    return body
