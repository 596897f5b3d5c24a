"""Domain kinds of imported data, each a small module with its own validation and attribute
mapping: cadastral parcels, master-plan zones, utility networks, accessibility of facilities,
budget projects (refused whole on any wrong row), and generic (the file's own schema). ``kind_for(name, options)`` gives the kind's instance."""

from __future__ import annotations

from ..errors import ImportFailed
from .accessibility import AccessibilityKind
from .base import Batch, Kind
from .budget import BudgetKind
from .cadastral import CadastralKind
from .generic import GenericKind
from .masterplan import MasterplanKind
from .utility import UtilityKind

__all__ = ["KINDS", "Batch", "Kind", "kind_for"]

KINDS: dict[str, type[Kind]] = {
    k.name: k
    for k in (
        GenericKind,
        CadastralKind,
        MasterplanKind,
        UtilityKind,
        AccessibilityKind,
        BudgetKind,
    )
}


def kind_for(name: str | None, options) -> Kind:
    try:
        return KINDS[name or "generic"](options)
    except KeyError:
        raise ImportFailed(
            f"unknown kind {name!r} (one of: {', '.join(KINDS)})", code="unknown-kind"
        ) from None
