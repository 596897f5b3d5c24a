"""An unsure answer as a question for the resident: up to five places, each with a label a
person reads ("Опора 17, вулиця Садова, м. Ясенів") and what tells it from the others (its
street, its settlement, what kind of place it is, its number, or where it lies from the first),
plus the question that choice answers ("На якій вулиці?"). Used by the locate API, the report
form and the messenger bot; it adds nothing the candidates do not already carry.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import conf, geo
from .explain import KIND_NAMES

__all__ = ["MAX_CHOICES", "ask"]

MAX_CHOICES = 5
CORNER_M = 40  # a place this close to another street is told by that cross street
COMPASS = [gettext_lazy("пн"), gettext_lazy("пн-сх"), gettext_lazy("сх"), gettext_lazy("пд-сх"),
           gettext_lazy("пд"), gettext_lazy("пд-зх"), gettext_lazy("зх"), gettext_lazy("пн-зх")]  # fmt: skip


def label(c) -> str:
    kind = str(KIND_NAMES.get(c.kind, "")) if c.kind not in ("street", "gps") else ""
    ref = c.ref if c.ref and c.ref not in (c.street or "") else ""
    what = " ".join(filter(None, [kind, ref])) or (c.street if c.kind == "street" else "")
    parts = [what] + [p for p in (c.street, c.settlement) if p and p != what]
    return ", ".join(p for p in parts if p) or _("Місце за координатами")


def _bearing(a, b) -> str:
    """Where ``b`` lies from ``a``: "за 140 м на пн-сх"."""
    dx, dy = b.x - a.x, b.y - a.y
    sector = int(((math.degrees(math.atan2(dx, dy)) + 360 + 22.5) % 360) // 45)
    return _("за %(m)d м на %(dir)s від першого") % {
        "m": round(geo.ground_m((a.x, a.y), (b.x, b.y))),
        "dir": str(COMPASS[sector]),
    }


def _differs(cands) -> str:
    """Which attribute tells the places apart, in the order a resident knows it best."""
    for attr in ("settlement", "street", "kind", "ref"):
        if len({getattr(c, attr) or "" for c in cands}) == len(cands):
            return attr
    for attr in ("settlement", "street", "kind", "ref"):
        if len({getattr(c, attr) or "" for c in cands}) > 1:
            return attr
    return "position"


QUESTIONS = {
    "settlement": gettext_lazy("У якому населеному пункті?"),
    "street": gettext_lazy("На якій вулиці?"),
    "kind": gettext_lazy("Що саме поруч із місцем?"),
    "ref": gettext_lazy("Який номер?"),
    "position": gettext_lazy("Яке з цих місць?"),
}


def ask(result) -> dict | None:
    """``{"question", "choices": [{"label", "distinguishing", "index"}]}`` for an answer the
    locator is not sure of (several candidates, or one it is not confident about); None for a
    confident answer or none at all. ``index`` is the candidate's position in
    ``result.candidates``."""
    cands = result.candidates[:MAX_CHOICES]
    if not cands or (result.confidence >= conf.CONFIDENT and not result.ambiguous):
        return None
    if len(cands) == 1:
        return {"question": _("Це тут?"),
                "choices": [{"index": 0, "label": label(cands[0]), "distinguishing": ""}]}  # fmt: skip
    by = _differs(cands)
    choices, corners = [], 0
    for i, c in enumerate(cands):
        if by == "position":
            corner = geo.cross_street(c.x, c.y, c.street, CORNER_M) if c.street else None
            if corner:
                corners += 1
                tells = _("біля перехрестя з: %(street)s") % {"street": corner}
            else:
                tells = _bearing(cands[0], c) if i else _("перше з місць")
        elif by == "kind":
            tells = str(KIND_NAMES.get(c.kind, c.kind))
        else:
            tells = getattr(c, by) or ""
        choices.append({"index": i, "label": label(c), "distinguishing": tells})
    if by == "position" and corners == len(cands):
        by = "street"  # told apart by their cross streets
    return {"question": str(QUESTIONS[by]), "choices": choices}
