"""What the registry knows about a layer's metadata: NSDI theme and ISO topic category from the
layer's category, status and update frequency from its imports, lineage from its import
records, reference system, constraints from its access level. ``defaults`` never overwrites
what staff entered."""

from __future__ import annotations

from importers.models import ImportRun
from layers.models import Access, Category, Layer

from .models import Frequency, Metadata, NsdiTheme, Status, TopicCategory

__all__ = ["CRS_CODE", "access_constraints", "defaults", "ensure", "lineage"]

#: The layer store's CRS (tables are EPSG:3857); records name the hromada's survey system when
#: the source gave one, else WGS 84.
CRS_CODE = "4326"

THEMES = {
    Category.CADASTRE: (NsdiTheme.PARCELS, TopicCategory.PLANNING),
    Category.MASTERPLAN: (NsdiTheme.LAND_USE, TopicCategory.PLANNING),
    Category.UTILITIES: (NsdiTheme.UTILITIES, TopicCategory.UTILITIES),
    Category.ROADS: (NsdiTheme.TRANSPORT, TopicCategory.TRANSPORTATION),
    Category.ACCESSIBILITY: (NsdiTheme.FACILITIES, TopicCategory.SOCIETY),
    Category.ENVIRONMENT: (NsdiTheme.HAZARDS, TopicCategory.ENVIRONMENT),
    Category.BOUNDARIES: (NsdiTheme.ADMIN_UNITS, TopicCategory.BOUNDARIES),
    Category.TOPOGRAPHIC: (NsdiTheme.OTHER, TopicCategory.LOCATION),
    Category.OTHER: (NsdiTheme.OTHER, TopicCategory.LOCATION),
}


def imports(layer: Layer):
    return ImportRun.objects.filter(layer_slug=layer.slug, status=ImportRun.Status.DONE).order_by(
        "finished_at"
    )


def lineage(layer: Layer, language: str) -> str:
    """Staff's statement, else the layer's source and its import history (file, date, counts)."""
    en = language.startswith("en")
    parts = []
    if layer.source:
        parts.append(("Source: " if en else "Джерело: ") + layer.source)
    for run in imports(layer)[:20]:
        when = run.finished_at.date().isoformat() if run.finished_at else ""
        parts.append(
            (
                f"Imported {when} from {run.file_name}: {run.features_imported} features"
                if en
                else f"Імпортовано {when} з {run.file_name}: об'єктів {run.features_imported}"
            )
            + (f", repaired {run.features_repaired}" if en and run.features_repaired else "")
            + (f", виправлено {run.features_repaired}" if not en and run.features_repaired else "")
            + (f" (v{run.layer_version})" if run.layer_version else "")
        )
    if not parts:
        return "Loaded into the portal." if en else "Завантажено до геопорталу."
    return "; ".join(parts) + "."


def access_constraints(layer: Layer) -> tuple[str, str, str]:
    """ISO MD_RestrictionCode and the readable condition (uk, en) for the layer's access."""
    if layer.access == Access.PUBLIC:
        licence = layer.licence or "CC BY 4.0"
        return (
            "otherRestrictions",
            f"Без обмежень публічного доступу; ліцензія: {licence}",
            f"No limitations on public access; licence: {licence}",
        )
    return (
        "restricted",
        "Доступ обмежено: лише для працівників громади (ст. 6 Закону № 554-IX)",
        "Restricted: for the hromada's staff only",
    )


def defaults(md: Metadata) -> dict:
    """Values for the empty fields of ``md`` from the registry."""
    layer = md.layer
    theme, topic = THEMES.get(layer.category, THEMES[Category.OTHER])
    runs = list(imports(layer).values_list("finished_at", flat=True))
    first = runs[0] if runs else layer.created_at
    return {
        "nsdi_theme": theme,
        "topic_category": topic,
        "keywords_uk": layer.get_category_display(),
        "keywords_en": layer.category,
        "date_creation": first.date() if first else None,
        "date_publication": layer.created_at.date() if layer.created_at else None,
        "update_frequency": Frequency.AS_NEEDED if len(runs) > 1 else Frequency.IRREGULAR,
        "status": Status.ON_GOING if len(runs) > 1 else Status.COMPLETED,
        "scale_denominator": None if layer.is_raster else 2000,
    }


def ensure(layer: Layer) -> Metadata:
    """The layer's metadata, created with the registry's values when missing; empty fields of
    an existing one are filled (never overwritten) and saved."""
    md, created = Metadata.objects.get_or_create(layer=layer)
    changed = []
    for name, value in defaults(md).items():
        if value not in (None, "") and getattr(md, name) in (None, ""):
            setattr(md, name, value)
            changed.append(name)
    if changed:
        Metadata.objects.filter(pk=md.pk).update(**{n: getattr(md, n) for n in changed})
    return md
