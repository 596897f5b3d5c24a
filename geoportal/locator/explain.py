"""Ukrainian sentences a dispatcher can check against the map: what was found, where, and how
it agrees with the phone's fix."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = ["explain"]

KIND_NAMES = {
    "pole": gettext_lazy("Опора"),
    "manhole": gettext_lazy("Колодязь"),
    "stop": gettext_lazy("Зупинка"),
    "facility": gettext_lazy("Заклад"),
    "address": gettext_lazy("Будинок"),
}


def _metres(m: float) -> str:
    return _("%(km).1f км") % {"km": m / 1000} if m >= 1000 else _("%(m)d м") % {"m": round(m)}


def _where(c) -> str:
    parts = []
    if c.street:
        parts.append(c.street)
    if c.settlement:
        parts.append(c.settlement)
    return ", ".join(parts)


def explain(best, cands, ambiguous, gps_m, settlement, evidence) -> str:
    if best is None:
        return _("Не вдалося визначити місце: не знайдено жодного орієнтира, вулиці чи координат.")
    where = _where(best)
    if ambiguous:
        places = "; ".join(" ".join(filter(None, [c.ref, _where(c)])) or c.kind for c in cands[:5])
        return _(
            "Неоднозначно: підходять %(n)d місць (%(places)s). Уточніть вулицю, населений пункт "
            "або надішліть геолокацію."
        ) % {"n": len(cands), "places": places}
    if best.basis.startswith("between"):
        sentence = _("Між опорами №%(ref)s") % {"ref": best.ref}
    elif best.basis.startswith("ref"):
        sentence = _("%(kind)s №%(ref)s") % {
            "kind": KIND_NAMES.get(best.kind, _("Орієнтир")),
            "ref": best.ref,
        }
    elif best.basis.startswith("address"):
        sentence = _("Будинок %(ref)s") % {"ref": best.ref}
        if best.basis == "address-opposite":
            sentence = _("Навпроти будинку %(ref)s") % {"ref": best.ref}
    elif best.basis.startswith("place"):
        ref = best.ref if "«" in best.ref else f"«{best.ref}»"
        sentence = _("%(kind)s %(ref)s") % {
            "kind": KIND_NAMES.get(best.kind, _("Орієнтир")),
            "ref": ref,
        }
    elif best.basis.startswith("intersection"):
        sentence = _("Перехрестя %(streets)s") % {"streets": best.street}
        where = best.settlement
    elif best.basis.startswith("street"):
        sentence = best.street[:1].upper() + best.street[1:]
        where = best.settlement
        if best.basis == "street":
            sentence += _(" (точне місце на вулиці невідоме)")
    else:
        sentence = _("Лише за координатами телефону (точність %(acc)s)") % {
            "acc": _metres(best.uncertainty_m)
        }
    if where:
        sentence += ", " + where
    if gps_m is not None:
        if gps_m <= max(75, 2 * best.uncertainty_m):
            sentence += _("; збігається з GPS телефону (%(d)s)") % {"d": _metres(gps_m)}
        else:
            sentence += _("; GPS телефону показує інше місце (за %(d)s)") % {"d": _metres(gps_m)}
    return sentence + "."
