"""Rolling a layer back to one of its kept versions (the last ``KEEP_VERSIONS`` imports): the
kept table is swapped back in one transaction, the schema it was imported with is restored
from its ImportRun, and the layer's version moves forward so cached tiles are not reused."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from layers.dynamic import forget_models
from layers.models import Layer, next_version
from layers.storage import history_versions, restore_version, table_columns, table_stats

from .errors import ImportFailed
from .models import ImportRun

__all__ = ["kept_versions", "rollback"]

SQL_TO_TYPE = {
    "text": "string",
    "bigint": "integer",
    "integer": "integer",
    "double precision": "float",
    "boolean": "boolean",
    "date": "date",
    "timestamp with time zone": "datetime",
}


def kept_versions(slug: str) -> list[int]:
    layer = Layer.objects.filter(slug=slug).first()
    return history_versions(layer.table_name) if layer else []


def _schema_of(layer: Layer, version: int) -> tuple[list[dict], str]:
    run = (
        ImportRun.objects.filter(layer_slug=layer.slug, layer_version__lte=version)
        .exclude(attributes=[])
        .filter(status=ImportRun.Status.DONE)
        .order_by("-layer_version", "-started_at")
        .first()
    )
    if run:
        return run.attributes, run.geometry_type or layer.geometry_type
    # No record (a version older than the records): read the columns of the restored table.
    columns = table_columns(layer.table_name)
    known = {a["name"]: a for a in layer.attributes}
    attributes = [
        known.get(name) or {"name": name, "type": SQL_TO_TYPE.get(sql, "string")}
        for name, sql in columns
    ]
    return attributes, layer.geometry_type


def rollback(slug: str, version: int | None = None, user=None) -> Layer:
    """Make kept ``version`` (default: the newest kept) the layer's data again."""
    with transaction.atomic():
        layer = Layer.objects.select_for_update().filter(slug=slug).first()
        if layer is None:
            raise ImportFailed(f"no layer {slug!r}", code="layer-not-found", status=404)
        if layer.is_raster:
            raise ImportFailed(f"layer {slug}: raster layers are rolled back by re-import")
        kept = history_versions(layer.table_name)
        if not kept:
            raise ImportFailed(f"layer {slug}: no earlier version is kept", code="no-version")
        version = kept[0] if version is None else version
        if version not in kept:
            raise ImportFailed(
                f"layer {slug}: version {version} is not kept (kept: {', '.join(map(str, kept))})",
                code="no-version",
            )
        restore_version(layer.table_name, version, layer.version)
        layer.attributes, layer.geometry_type = _schema_of(layer, version)
        layer.version = next_version()
        layer.data_updated_at = timezone.now()
        layer.save()
        forget_models(layer.table_name)
        layer.feature_count, layer.extent = table_stats(layer.table_name)
        layer.save(update_fields=["feature_count", "extent"])
        ImportRun.objects.create(
            layer_slug=slug,
            user=user if getattr(user, "pk", None) else None,
            file_name=f"rollback to version {version}",
            status=ImportRun.Status.DONE,
            finished_at=timezone.now(),
            features_imported=layer.feature_count,
            layer_version=layer.version,
            attributes=layer.attributes,
            geometry_type=layer.geometry_type,
            progress=1.0,
        )
    return layer
