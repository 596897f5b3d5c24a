"""The vector import pipeline: read in batches -> reproject -> repair -> COPY -> atomic swap.

Memory stays flat: GDAL (through pyogrio's Arrow stream) hands over batches of features, each
batch is reprojected and repaired as numpy arrays of shapely geometries and written to
PostgreSQL with COPY into a staging table. Only when every batch is in, indexed and analysed is
the staging table swapped in for the live one, in the same transaction; any failure rolls the
whole import back and the layer stays exactly as it was.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import shapely
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core import conf
from layers.dynamic import forget_models
from layers.models import Layer, LayerRole, next_version
from layers.storage import (
    STORAGE_SRID,
    TableBuilder,
    compare_tables,
    qualified,
    table_exists,
    table_stats,
)

from . import conf as import_conf
from . import crs as crs_tools
from .errors import ImportFailed
from .geometry import expected_family, inside_box, repair, singles, unify
from .kinds import Batch, kind_for
from .kinds.base import find_attribute
from .locks import layer_lock
from .models import ImportRun
from .naming import column_name
from .prefetch import prefetch
from .sources import check_encoding, csv_in_degrees, open_source

__all__ = [
    "ImportOptions",
    "ImportReport",
    "check_role",
    "file_checksum",
    "import_vector",
    "landmark_fields",
    "record_failure",
]

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("ms"),
}


@dataclass
class ImportOptions:
    """What the caller says about the file and the layer it becomes."""

    slug: str
    title_uk: str | None = None
    title_en: str | None = None
    category: str | None = None
    kind: str | None = None
    access: str | None = None
    role: str | None = None  # Layer.role (LayerRole): None leaves the layer's role, "" clears it
    crs: str | None = None
    layer_in_file: str | None = None
    open_options: dict = field(default_factory=dict)
    encoding: str | None = None
    attributes: list[dict] | None = None  # declared schema: titles, units, types by name
    style: dict | None = None
    layer_fields: dict = field(default_factory=dict)  # other Layer fields (min_zoom, licence...)
    dry_run: bool = False
    # "replace" accepts a re-import that changes the geometry type or drops columns (the CLI's
    # --schema replace, the upload page's confirmation); None refuses it, naming the difference
    schema: str | None = None
    allow_outside_extent: bool = False
    force_2d: bool = True
    keep_versions: int = field(default_factory=lambda: import_conf.KEEP_VERSIONS)
    user: object = None
    source_name: str | None = None  # the original file name, for uploads saved under a temp name
    sidecar: Path | None = None  # a watched file's options (.import.json): part of its checksum


@dataclass
class ImportReport:
    slug: str
    read: int = 0
    imported: int = 0
    repaired: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    version: int | None = None
    dry_run: bool = False
    attributes: list[dict] = field(default_factory=list)
    geometry_type: str = ""
    # of a dry run over an existing layer: features the import would add, remove, change, keep
    preview: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        figures = (
            f"read {self.read}, imported {self.imported}, repaired {self.repaired}, "
            f"rejected {len(self.rejected)}"
        )
        if not self.dry_run:
            return f"{self.slug}: {figures}, {self.seconds:.1f} s, layer version {self.version}"
        p = self.preview
        change = (
            f"would add {p['added']}, remove {p['removed']}, change {p['changed']}, "
            f"keep {p['unchanged']} unchanged"
            if p
            else f"would create the layer with {self.imported} features"
        )
        return (
            f"{self.slug}: DRY RUN, a preview: nothing was written. {change}; {figures}; "
            f"{len(self.warnings)} warning(s), {self.seconds:.1f} s"
        )


class _DryRun(Exception):
    pass


# A shapefile is several files: an edit of its attributes (.dbf) or CRS (.prj) alone is a change.
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def file_checksum(path: Path, sidecar: Path | None = None) -> str:
    """SHA-256 of the file's bytes (of a shapefile: of all its parts, in a fixed order), and of
    its ``sidecar`` (watched-folder options) when it has one: an edit of either is a change."""
    path = Path(path)
    parts = [path, *([Path(sidecar)] if sidecar else [])]
    if path.suffix.lower() == ".shp":
        upper = path.suffix.isupper()
        siblings = (path.with_suffix(s.upper() if upper else s) for s in SHAPEFILE_PARTS[1:])
        parts += [p for p in siblings if p.exists()]
    digest = hashlib.sha256()
    for part in parts:
        with open(part, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _target_geometry_type(declared: str, driver: str) -> str:
    declared = (declared or "Unknown").replace(" Z", "").replace(" M", "").replace("25D", "")
    family = {
        "Point": "Point",
        "MultiPoint": "MultiPoint",
        "LineString": "MultiLineString",
        "MultiLineString": "MultiLineString",
        "Polygon": "MultiPolygon",
        "MultiPolygon": "MultiPolygon",
    }
    if declared in ("Point", "MultiPoint"):
        return declared
    if declared in family:
        # Shapefiles say "Polygon" even for multi-part rings: lines and polygons from any source
        # are stored as Multi* so that one layer never mixes single and multi parts.
        return family[declared]
    return "Geometry"


def _schema(info: dict, declared: list[dict] | None) -> tuple[list[dict], dict[str, str]]:
    """The layer's attribute schema and the mapping file column -> table column."""
    declared_by_name = {}
    for item in declared or []:
        declared_by_name[item["name"]] = item
        if item.get("source"):
            declared_by_name[item["source"]] = item
    taken: set[str] = set()
    attributes, mapping = [], {}
    for raw, dtype in zip(info["fields"], info["dtypes"], strict=False):
        spec = declared_by_name.get(raw) or declared_by_name.get(column_name(raw))
        name = column_name(spec["name"] if spec else raw, taken)
        kind = _attribute_type(str(dtype))
        attribute = {"name": name, "type": kind, "title_uk": raw, "title_en": raw, "unit": None}
        if spec:
            attribute.update(
                {k: v for k, v in spec.items() if k in ("type", "title_uk", "title_en", "unit")}
            )
        if raw != name:
            attribute["source"] = raw
        attributes.append(attribute)
        mapping[raw] = name
    return attributes, mapping


def _attribute_type(dtype: str) -> str:
    if dtype.startswith(("int", "uint")):
        return "integer"
    if dtype.startswith("float"):
        return "float"
    if dtype == "bool":
        return "boolean"
    if dtype.startswith("datetime64"):
        return "datetime"
    return "string"


def _coerce(column: pa.ChunkedArray | pa.Array, kind: str, name: str, first_row: int) -> pa.Array:
    target = ARROW_TYPES[kind]
    if column.type == target:
        return column
    if kind == "date" and pa.types.is_timestamp(column.type):
        return pc.cast(column, pa.date32())
    try:
        return pc.cast(column, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ImportFailed(
            f"column {name!r} (rows {first_row}+): values do not fit type {kind}: {exc}",
            code="bad-value",
        ) from exc


# A restart of PostgreSQL takes a second or two: the failure is still recorded after one.
RECORD_FAILURE_SECONDS = 15


def record_failure(run: ImportRun, exc: Exception) -> None:
    """Mark ``run`` failed (or cancelled), also when the failure was the database going away: the broken
    connection is dropped and the write retried on a new one for a few seconds."""
    cancelled = getattr(exc, "code", "") == "cancelled"
    run.status = ImportRun.Status.CANCELLED if cancelled else ImportRun.Status.FAILED
    run.error = (getattr(exc, "detail", None) or str(exc))[:2000]
    run.error_code = str(getattr(exc, "code", "") or "")[:40]
    differences = getattr(exc, "extra", {}).get("differences")
    if differences:
        run.warnings = [*run.warnings, *(f"schema: {d}" for d in differences)][:500]
    run.finished_at = timezone.now()
    deadline = time.monotonic() + RECORD_FAILURE_SECONDS
    while True:
        try:
            run.save()
            return
        except DatabaseError:
            if connection.in_atomic_block or time.monotonic() > deadline:
                return  # the caller's own error says what happened; this record stays 'running'
            connection.close()
            time.sleep(0.5)


def import_vector(
    path: str | Path,
    options: ImportOptions,
    progress: Callable[[int, int], None] | None = None,
    run: ImportRun | None = None,
) -> ImportReport:
    """Import ``path`` into layer ``options.slug`` (created if new). Atomic; see module doc.

    ``progress(read, total)`` is called after each batch (it may raise to cancel: the import
    then rolls back like any failure); ``run`` is an ImportRun created beforehand (uploads)."""
    path = Path(path)
    started = time.monotonic()
    label = options.source_name or path.name
    if not path.exists():
        raise ImportFailed(f"{label}: no such file", code="not-found")
    report = ImportReport(slug=options.slug, dry_run=options.dry_run)
    checksum = file_checksum(path, options.sidecar) if path.is_file() else ""
    if run is None:
        run = ImportRun.objects.create(
            layer_slug=options.slug,
            user=options.user if getattr(options.user, "pk", None) else None,
            file_name=label[:300],
            checksum=checksum,
        )
    else:
        run.checksum = checksum
    try:
        with layer_lock(options.slug, label):
            _import(path, options, report, progress, label, run)
    except _DryRun:
        run.status = ImportRun.Status.DRY_RUN
    except Exception as exc:
        record_failure(run, exc)
        raise
    else:
        run.status = ImportRun.Status.DONE
    report.seconds = time.monotonic() - started
    run.finished_at = timezone.now()
    run.features_read = report.read
    run.features_imported = report.imported
    run.features_repaired = report.repaired
    run.features_rejected = len(report.rejected)
    run.warnings = report.warnings[:500] + [f"row {r}: {why}" for r, why in report.rejected[:200]]
    run.layer_version = report.version
    run.preview = report.preview
    run.attributes = report.attributes
    run.geometry_type = report.geometry_type
    run.progress = 1.0
    run.save()
    return report


@dataclass
class _Plan:
    """Everything fixed before the first batch: schema, geometry type, CRS, kind."""

    label: str
    options: ImportOptions
    report: ImportReport
    kind: object
    attributes: list[dict]
    mapping: dict[str, str]  # file column -> table column
    computed: list[str]  # table columns the kind computes
    source_crs: object
    target: str
    families: set[int]
    extent_box: object


def check_role(options: ImportOptions, label: str) -> None:
    """ImportFailed unless ``options.role`` is a known role that no other layer holds."""
    if not options.role:
        return
    if options.role not in LayerRole.values:
        raise ImportFailed(
            f"{label}: unknown role {options.role!r} (roles: {', '.join(LayerRole.values)})",
            code="bad-role",
        )
    holder = Layer.objects.filter(role=options.role).exclude(slug=options.slug).first()
    if holder is not None:
        raise ImportFailed(
            f"{label}: role {options.role!r} belongs to layer {holder.slug!r}; clear it there first",
            code="role-taken",
        )


def _check_not_empty(report: ImportReport, label: str) -> None:
    if report.imported == 0:
        first = report.rejected[0] if report.rejected else None
        raise ImportFailed(
            f"{label}: no usable features ({report.read} read, {len(report.rejected)} rejected"
            + (f"; first: row {first[0]}: {first[1]}" if first else "")
            + ")",
            code="empty",
        )


def _import(path, options, report, progress, label, run) -> None:
    check_role(options, label)
    source = open_source(path, options, label)
    info = source.read_info()
    source_crs = _source_crs(path, info, options, report, label)
    target = _target_geometry_type(info.get("geometry_type"), info.get("driver", ""))
    attributes, mapping = _schema(info, options.attributes)
    if not options.kind and source.default_kind:
        options.kind = source.default_kind
    existing_kind = Layer.objects.filter(slug=options.slug).values_list("kind", flat=True).first()
    kind = kind_for(options.kind or existing_kind, options)
    attributes, renames = kind.schema(attributes)
    mapping = {raw: renames.get(name, name) for raw, name in mapping.items()}
    computed = [a["name"] for a in attributes if a["name"] not in mapping.values()]
    _resolve_layer_fields(attributes, options, label)
    report.attributes, report.geometry_type = attributes, target
    for problem in getattr(source, "problems", []):
        report.warnings.append(f"row {problem[0]}: {problem[1]}")
    plan = _Plan(
        label, options, report, kind, attributes, mapping, computed, source_crs, target,
        expected_family(target), crs_tools.extent_3857(conf.HROMADA["extent"]),
    )  # fmt: skip
    total = max(int(info.get("features") or 0), 0)

    with transaction.atomic():
        layer = Layer.objects.select_for_update().filter(slug=options.slug).first()
        is_new = layer is None
        builder = TableBuilder(
            layer.table_name if layer else options.slug.replace("-", "_"), attributes, target
        )
        builder.create()

        def prepared():
            for first, batch, geometry_name in source.batches():
                check_encoding(batch, label, options, first)
                yield _prepare_batch(plan, batch, first, geometry_name), report.read

        def chunks():
            # batches are read and prepared in a thread while COPY sends the previous one
            for chunk, read in prefetch(prepared()):
                yield chunk
                run.progress = read / total if total else 0.0
                if progress:
                    progress(read, total)

        builder.copy_csv(chunks())
        _check_not_empty(report, label)
        builder.finish()
        with connection.cursor() as cursor:
            kind.check_table(cursor, qualified(builder.staging), report)
        kind.finish(report)
        if layer is not None:  # after the file's own checks: its errors come first
            _check_schema(layer, attributes, target, options, report, label)
        if options.dry_run:
            if layer is not None and table_exists(layer.table_name):
                report.preview = compare_tables(
                    builder.staging, layer.table_name, _common_columns(layer, attributes)
                )
            raise _DryRun()

        if is_new:
            layer = Layer(slug=options.slug, title_uk=options.title_uk or options.slug)
        old_version = None if is_new else layer.version
        if kind.name and (options.kind or is_new):
            layer.kind = kind.name
        for name, value in kind.layer_defaults(attributes, target).items():
            if not options.layer_fields.get(name) and not getattr(layer, name, None):
                setattr(layer, name, value)
        _apply_metadata(layer, options, attributes, target, info, source_crs, label, run.checksum)
        if not is_new:
            layer.version = next_version()
        layer.save()
        builder.swap_in(old_version, keep_versions=options.keep_versions)
        forget_models(layer.table_name)
        layer.feature_count, layer.extent = table_stats(layer.table_name)
        layer.save(update_fields=["feature_count", "extent"])
        report.version = layer.version


def _source_crs(path, info, options, report, label):
    """The file's CRS, or --crs; a CSV with lon/lat columns that says nothing is in degrees."""
    declared = info.get("crs")
    if not declared and not options.crs and csv_in_degrees(path):
        declared = "EPSG:4326"
        report.warnings.append("coordinates read as longitude/latitude in degrees (WGS 84)")
    return crs_tools.resolve_crs(declared, options.crs, label)


def schema_difference(layer: Layer, attributes: list[dict], target: str) -> list[str]:
    """What a re-import would lose of ``layer``'s schema: its geometry type, its columns."""
    differences = []
    if layer.geometry_type not in ("Geometry", target) and not layer.is_raster:
        differences.append(f"geometry {layer.geometry_type} -> {target}")
    if layer.is_raster:
        differences.append(f"a raster layer -> vector ({target})")
    names = {a["name"] for a in attributes}
    lost = [name for name in layer.attribute_names() if name not in names]
    if lost:
        differences.append(f"columns dropped: {', '.join(lost)}")
    return differences


def _check_schema(layer, attributes, target, options, report, label) -> None:
    """A re-import that changes the geometry type or drops columns needs ``schema="replace"``;
    a dry run lists the difference as a warning instead."""
    differences = schema_difference(layer, attributes, target)
    if not differences or options.schema == "replace":
        return
    if options.dry_run:
        report.warnings.append("the schema changes: " + "; ".join(differences))
        return
    raise ImportFailed(
        f"{label}: the file changes layer {layer.slug!r}: {'; '.join(differences)}. "
        "Nothing was imported; to accept the change, import again with --schema replace",
        code="schema-change",
        status=409,
        differences=differences,
    )


def _common_columns(layer: Layer, attributes: list[dict]) -> list[str]:
    old = {a["name"]: a.get("type", "string") for a in layer.attributes}
    return [a["name"] for a in attributes if old.get(a["name"]) == a.get("type", "string")]


# The landmark registry's layer fields and the option naming each (CLI --landmark-ref,
# --street-name, --address; the same keys in watched-folder sidecars and the demo manifest).
LANDMARK_OPTIONS = {"landmark_ref": "landmark_ref", "street_name_field": "street_name",
                    "address_fields": "address"}  # fmt: skip


def landmark_fields(given) -> dict[str, str]:
    """Layer fields from options named as above (``given``: a dict of them); the address
    fields may come as a list."""
    fields = {}
    for key, name in LANDMARK_OPTIONS.items():
        value = given.get(name)
        if isinstance(value, (list, tuple)):
            value = ",".join(value)
        if value:
            fields[key] = value
    return fields


def _resolve_layer_fields(attributes: list[dict], options: ImportOptions, label: str) -> None:
    """Field names given for the landmark registry, as table columns (or an error naming them)."""
    for key, name in LANDMARK_OPTIONS.items():
        flag = "--" + name.replace("_", "-")
        value = options.layer_fields.get(key)
        if not value:
            continue
        names = []
        for given in value.split(","):
            name = find_attribute(attributes, [given.strip()])
            if name is None:
                raise ImportFailed(
                    f"{label}: {flag} {given.strip()!r}: no such field in the file (it has: "
                    f"{', '.join(a.get('source') or a['name'] for a in attributes)})",
                    code="bad-field",
                )
            names.append(name)
        if key == "address_fields" and len(names) != 2:
            raise ImportFailed(
                f"{label}: --address takes two fields, STREET,NUMBER (got {value!r})",
                code="bad-field",
            )
        options.layer_fields[key] = ",".join(names)


def _prepare_batch(plan: _Plan, batch, first, geometry_name) -> bytes:
    options, report, label, target = plan.options, plan.report, plan.label, plan.target
    n = batch.num_rows
    report.read += n
    rows = np.arange(first, first + n)
    wkb = batch.column(geometry_name).to_numpy(zero_copy_only=False)
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    if options.force_2d:
        has_z = shapely.has_z(geoms)
        if has_z.any():
            geoms = geoms.copy()
            geoms[has_z] = shapely.force_2d(geoms[has_z])
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    for r in rows[~keep][:1000]:
        report.rejected.append((int(r), "empty or missing geometry"))
    wrong = keep & ~np.isin(
        shapely.get_type_id(geoms), list(plan.families) + singles(plan.families)
    )
    for r in rows[wrong][:1000]:
        report.rejected.append((int(r), f"geometry type does not fit the layer ({target})"))
    keep &= ~wrong
    geoms = crs_tools.to_storage(geoms[keep], plan.source_crs)
    geoms, repaired = repair(geoms, target)
    report.repaired += int(repaired.sum())
    geoms = unify(geoms, target)
    valid_after = np.ones(len(geoms), dtype=bool)
    if repaired.any():  # the rest were valid already; only repairs can come out empty/invalid
        fixed = geoms[repaired]
        valid_after[repaired] = ~shapely.is_empty(fixed) & shapely.is_valid(fixed)
    inside = inside_box(geoms, shapely.bounds(plan.extent_box))
    kept_rows = rows[keep]
    outside = ~inside & valid_after
    if outside.any() and not options.allow_outside_extent:
        if outside.mean() > 0.5:
            sample = shapely.from_wkb(wkb[keep][outside][:200])
            cause = crs_tools.diagnose_outside(sample, plan.source_crs, conf.HROMADA["extent"])
            raise ImportFailed(
                f"{label}: {int(outside.sum())} of {len(geoms)} features (rows {int(kept_rows[outside][0])}+) "
                f"fall outside the hromada's extent after transforming from {plan.source_crs.name}: {cause}. "
                "Use --allow-outside-extent if this is intended.",
                code="outside-extent",
            )
        for r in kept_rows[outside][:1000]:
            report.rejected.append((int(r), "outside the hromada's extent"))
    for r in kept_rows[~valid_after][:1000]:
        report.rejected.append((int(r), "geometry could not be repaired"))
    final = valid_after & (inside | options.allow_outside_extent)
    geoms = geoms[final]
    take = pa.array(np.flatnonzero(keep)[final])
    report.imported += len(geoms)

    by_name = {a["name"]: a for a in plan.attributes}
    columns = {}
    for raw, name in plan.mapping.items():
        spec = by_name[name]
        column = batch.column(raw).take(take)
        converted = plan.kind.convert(spec, column)
        columns[name] = _coerce(
            converted if converted is not None else column, spec["type"], raw, first
        )
    computed = plan.kind.check(Batch(columns, geoms, kept_rows[final]), report)
    for name in plan.computed:
        columns[name] = _coerce(
            computed.get(name, pa.nulls(len(geoms))), by_name[name]["type"], name, first
        )
    columns["geom"] = pa.array(
        shapely.to_wkb(shapely.set_srid(geoms, STORAGE_SRID), hex=True, include_srid=True)
    )
    table = pa.table(
        {a["name"]: columns[a["name"]] for a in plan.attributes} | {"geom": columns["geom"]}
    )
    buf = io.BytesIO()
    pacsv.write_csv(table, buf, pacsv.WriteOptions(include_header=False))
    return buf.getvalue()


def _apply_metadata(layer, options, attributes, target, info, source_crs, label, checksum) -> None:
    for name in ("title_uk", "title_en", "category", "kind", "access"):
        value = getattr(options, name)
        if value:
            setattr(layer, name, value)
    if options.style is not None:
        layer.style = options.style
    if options.role is not None:
        check_role(options, label)
        layer.role = options.role
    for name, value in options.layer_fields.items():
        setattr(layer, name, value)
    layer.attributes = attributes
    layer.geometry_type = target
    layer.source_file = label[:300]
    layer.source_checksum = checksum
    layer.source_crs = (
        f"{source_crs.name} (EPSG:{source_crs.to_epsg()})"
        if source_crs.to_epsg()
        else source_crs.name
    )
    layer.data_updated_at = timezone.now()
    if getattr(options.user, "pk", None):
        layer.updated_by = options.user
