"""Edits of single features by people (WFS-T, the REST API, the staff editor): applied in one
transaction per request, each recorded as a FeatureEdit (who, when, before/after) and
revertible; the layer's version moves on once per request (tiles, ETags, WMS and caches are
invalidated by layers.events), its feature count and extent are recomputed.

Callers hand over values already typed (``coerce`` turns text into an attribute's type, with an
EditRefused naming the field) and geometries as GEOS in any SRID (transformed to the storage
SRID here and checked: valid, of the layer's geometry type, inside the hromada)."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry, MultiLineString, MultiPoint, MultiPolygon
from django.db import transaction
from django.utils import timezone

from core import conf
from core.errors import PortalError

from .dynamic import feature_model
from .models import FeatureEdit, Layer
from .storage import STORAGE_SRID, table_stats

__all__ = ["EditRefused", "Edits", "apply", "coerce", "revert", "snapshot"]

MAX_TEXT = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MULTI = {"MultiPolygon": MultiPolygon, "MultiLineString": MultiLineString,
          "MultiPoint": MultiPoint}  # fmt: skip


class EditRefused(PortalError):
    status = 400
    code = "edit-refused"


@dataclass
class Edits:
    """One request's changes: inserts (values, geometry), updates fid -> (values, geometry or
    None), deletes (fids)."""

    inserts: list[tuple[dict, GEOSGeometry | None]] = field(default_factory=list)
    updates: dict[int, tuple[dict, GEOSGeometry | None]] = field(default_factory=dict)
    deletes: list[int] = field(default_factory=list)


def coerce(layer: Layer, name: str, value):
    """``value`` (text, or None) as attribute ``name``'s type; EditRefused naming what is wrong."""
    spec = layer.attribute(name)
    if spec is None:
        raise EditRefused(f"layer {layer.slug} has no field {name!r}", code="unknown-field")
    if value is None or (
        isinstance(value, str) and value.strip() == "" and spec.get("type") != "string"
    ):
        return None
    kind = spec.get("type", "string")
    try:
        return _CONVERT[kind](value)
    except (TypeError, ValueError, OverflowError):
        raise EditRefused(
            f"field {name!r}: {str(value)[:40]!r} is not a valid {kind}", code="bad-value"
        ) from None


def _text(value) -> str:
    text = str(value)
    if len(text) > MAX_TEXT or _CONTROL.search(text):
        raise ValueError(text)
    return text


def _float(value) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _integer(value) -> int:
    number = int(str(value).strip())
    if abs(number) >= 1 << 63:
        raise OverflowError(value)
    return number


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false", "1", "0"):
        raise ValueError(value)
    return text in ("true", "1")


def _datetime(value) -> dt.datetime:
    moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else timezone.make_aware(moment)


_CONVERT = {
    "string": _text, "integer": _integer, "float": _float, "boolean": _boolean,
    "date": lambda v: dt.date.fromisoformat(str(v).strip()[:10]), "datetime": _datetime,
}  # fmt: skip


def _geometry(layer: Layer, geom: GEOSGeometry) -> GEOSGeometry:
    if geom.srid is None:
        raise EditRefused("the geometry names no coordinate system", code="bad-geometry")
    geom = geom.transform(STORAGE_SRID, clone=True)
    target = layer.geometry_type
    if target in _MULTI and geom.geom_type == target.removeprefix("Multi"):
        geom = _MULTI[target](geom, srid=STORAGE_SRID)
    if target not in ("Geometry", geom.geom_type):
        raise EditRefused(
            f"layer {layer.slug} holds {target}, not {geom.geom_type}", code="bad-geometry"
        )
    if geom.empty or not geom.valid:
        raise EditRefused(f"invalid geometry: {geom.valid_reason}", code="bad-geometry")
    minlon, minlat, maxlon, maxlat = conf.HROMADA["extent"]
    box = GEOSGeometry(
        f"SRID=4326;POLYGON(({minlon} {minlat},{maxlon} {minlat},{maxlon} {maxlat},"
        f"{minlon} {maxlat},{minlon} {minlat}))"
    ).transform(STORAGE_SRID, clone=True)
    if not box.intersects(geom):
        raise EditRefused("the geometry lies outside the hromada", code="outside-extent")
    return geom


def snapshot(layer: Layer, feature) -> dict:
    """A feature as recorded in FeatureEdit.before/after."""
    properties = {}
    for name in layer.attribute_names():
        value = getattr(feature, name)
        properties[name] = value.isoformat() if isinstance(value, dt.date) else value
    return {"properties": properties, "geometry": feature.geom.ewkt}


def apply(layer: Layer, edits: Edits, user, via: str) -> dict:
    """Apply ``edits`` all or nothing; {"inserted": [fids], "updated": n, "deleted": n}."""
    model = feature_model(layer)
    names = set(layer.attribute_names())
    records, inserted = [], []
    with transaction.atomic():
        Layer.objects.select_for_update().filter(pk=layer.pk).first()  # one editor at a time
        for values, geom in edits.inserts:
            if geom is None:
                raise EditRefused("a new feature needs a geometry", code="bad-geometry")
            feature = model(**{k: v for k, v in values.items() if k in names})
            feature.geom = _geometry(layer, geom)
            feature.save(force_insert=True)
            inserted.append(feature.pk)
            records.append(FeatureEdit(layer=layer, fid=feature.pk, action="insert",
                                       after=snapshot(layer, feature)))  # fmt: skip
        for fid, (values, geom) in edits.updates.items():
            feature = _locked(model, layer, fid)
            before = snapshot(layer, feature)
            for key, value in values.items():
                setattr(feature, key, value)
            if geom is not None:
                feature.geom = _geometry(layer, geom)
            feature.save()
            records.append(FeatureEdit(layer=layer, fid=fid, action="update", before=before,
                                       after=snapshot(layer, feature)))  # fmt: skip
        for fid in edits.deletes:
            feature = _locked(model, layer, fid)
            records.append(FeatureEdit(layer=layer, fid=fid, action="delete",
                                       before=snapshot(layer, feature)))  # fmt: skip
            feature.delete()
        _finish(layer, records, user, via)
    return {"inserted": inserted, "updated": len(edits.updates), "deleted": len(edits.deletes)}


def _locked(model, layer: Layer, fid: int):
    """The feature ``fid``, locked for this transaction; EditRefused (404) if it is gone (an
    edit made from a stale copy: someone deleted it meanwhile)."""
    feature = model.objects.select_for_update().filter(pk=fid).first()
    if feature is None:
        raise EditRefused(
            f"feature {layer.slug}.{fid} does not exist (deleted meanwhile?)",
            status=404,
            code="feature-gone",
        )
    return feature


def _finish(layer: Layer, records: list[FeatureEdit], user, via: str) -> None:
    if not records:
        return
    layer.bump_version()  # invalidates the layer's tiles and caches (layers.events)
    for record in records:
        record.user = user if getattr(user, "pk", None) else None
        record.via = via
        record.layer_version = layer.version
    FeatureEdit.objects.bulk_create(records)
    layer.feature_count, layer.extent = table_stats(layer.table_name)
    layer.data_updated_at = timezone.now()
    Layer.objects.filter(pk=layer.pk).update(
        feature_count=layer.feature_count, extent=layer.extent,
        data_updated_at=layer.data_updated_at,
    )  # fmt: skip


def revert(edit: FeatureEdit, user, via: str = "revert") -> FeatureEdit:
    """Undo ``edit`` as a new recorded edit; refused if the feature changed since (revert the
    later edit first) or the layer's schema no longer has the recorded fields."""
    layer = edit.layer
    model = feature_model(layer)
    with transaction.atomic():
        Layer.objects.select_for_update().filter(pk=layer.pk).first()
        feature = model.objects.select_for_update().filter(pk=edit.fid).first()
        now = snapshot(layer, feature) if feature is not None else None
        if now != edit.after:
            raise EditRefused(
                f"feature {layer.slug}.{edit.fid} changed after edit {edit.pk}: revert the later "
                "edit first",
                status=409,
                code="changed-since",
            )
        if edit.before is None:
            feature.delete()
        else:
            restored = feature or model(pk=edit.fid)
            for key, value in edit.before["properties"].items():
                setattr(restored, key, coerce(layer, key, value))
            restored.geom = GEOSGeometry(edit.before["geometry"])
            restored.save(force_insert=feature is None)
        action = {"insert": "delete", "delete": "insert"}.get(edit.action, "update")
        record = FeatureEdit(layer=layer, fid=edit.fid, action=action, before=now,
                             after=edit.before, reverts=edit)  # fmt: skip
        _finish(layer, [record], user, via)
    return record
