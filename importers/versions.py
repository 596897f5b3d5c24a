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
from .raster import kept_rasters, rollback_raster

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
    if layer is None:
        return []
    return kept_rasters(layer) if layer.is_raster else history_versions(layer.table_name)


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


def _provenance_of(layer: Layer, version: int) -> None:
    """The file, checksum and author of the data now live: those of the import that made
    ``version`` (the admin would otherwise show the newer file's)."""
    run = (
        ImportRun.objects.filter(layer_slug=layer.slug, layer_version=version)
        .filter(status=ImportRun.Status.DONE)
        .order_by("-started_at")
        .first()
    )
    if run is not None:
        layer.source_file, layer.source_checksum = run.file_name, run.checksum
        layer.updated_by = run.user


def _rollback_raster(layer: Layer, version: int | None, user) -> Layer:
    layer, restored = rollback_raster(layer, version)
    _provenance_of(layer, restored)
    layer.save()
    ImportRun.objects.create(
        layer_slug=layer.slug, user=user if getattr(user, "pk", None) else None,
        file_name=f"rollback to version {restored}", status=ImportRun.Status.DONE,
        finished_at=timezone.now(), features_imported=1, layer_version=layer.version,
        geometry_type=layer.geometry_type, progress=1.0,
    )  # fmt: skip
    return layer


def rollback(slug: str, version: int | None = None, user=None) -> Layer:
    """Make kept ``version`` (default: the newest kept) the layer's data again."""
    with transaction.atomic():
        layer = Layer.objects.select_for_update().filter(slug=slug).first()
        if layer is None:
            raise ImportFailed(f"no layer {slug!r}", code="layer-not-found", status=404)
        if layer.is_raster:
            return _rollback_raster(layer, version, user)
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
        _provenance_of(layer, version)
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
