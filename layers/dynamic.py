"""Django model classes for layer tables, built at run time from each layer's declared schema.

The classes are unmanaged (the importer owns the DDL) and registered under the app label
``layerdata``, which is not an installed app, so migrations never see them. django-gisserver,
DRF and the tile views use them like any model.
"""

from __future__ import annotations

import hashlib
import json
import threading

from django.apps import apps
from django.contrib.gis.db import models as gis_models
from django.db import models

from .lookups import BoxAwareIntersects
from .storage import SCHEMA, STORAGE_SRID

__all__ = ["feature_model", "forget_models"]

APP_LABEL = "layerdata"

FIELD_CLASSES = {
    "string": models.TextField,
    "integer": models.BigIntegerField,
    "float": models.FloatField,
    "boolean": models.BooleanField,
    "date": models.DateField,
    "datetime": models.DateTimeField,
}
GEOMETRY_CLASSES = {
    "Point": gis_models.PointField,
    "MultiPoint": gis_models.MultiPointField,
    "LineString": gis_models.LineStringField,
    "MultiLineString": gis_models.MultiLineStringField,
    "Polygon": gis_models.PolygonField,
    "MultiPolygon": gis_models.MultiPolygonField,
}

_models: dict[tuple, type[models.Model]] = {}
_lock = threading.Lock()


def _key(layer) -> tuple:
    digest = hashlib.sha1(
        json.dumps([layer.attributes, layer.geometry_type], sort_keys=True).encode()
    ).hexdigest()[:10]
    return (layer.table_name, digest)


def feature_model(layer) -> type[models.Model]:
    """The model class of ``layer``'s live table (cached per table and schema)."""
    key = _key(layer)
    model = _models.get(key)
    if model is not None:
        return model
    with _lock:
        model = _models.get(key)
        if model is None:
            model = _build(layer, key)
            _models[key] = model
    return model


def _build(layer, key) -> type[models.Model]:
    table, digest = key
    name = f"F_{table}_{digest}"
    apps.all_models[APP_LABEL].pop(name.lower(), None)
    meta = type(
        "Meta",
        (),
        {
            "managed": False,
            "db_table": f'{SCHEMA}"."{table}',
            "app_label": APP_LABEL,
            "ordering": ["fid"],
            "verbose_name": layer.title_uk,
        },
    )
    attrs = {
        "__module__": __name__,
        "Meta": meta,
        "fid": models.BigAutoField(primary_key=True),
    }
    for attribute in layer.attributes:
        field_class = FIELD_CLASSES[attribute.get("type", "string")]
        attrs[attribute["name"]] = field_class(
            null=True, blank=True, verbose_name=attribute.get("title_uk") or attribute["name"]
        )
    geometry_class = GEOMETRY_CLASSES.get(layer.geometry_type, gis_models.GeometryField)
    attrs["geom"] = geometry_class(srid=STORAGE_SRID)
    attrs["geom"].register_lookup(BoxAwareIntersects)  # bbox queries skip GEOS inside the box
    model = type(name, (models.Model,), attrs)
    model.layer_slug = layer.slug
    return model


def forget_models(table: str | None = None) -> None:
    """Drop cached classes (after a schema change), all or one table's."""
    with _lock:
        for key in [k for k in _models if table is None or k[0] == table]:
            model = _models.pop(key)
            apps.all_models[APP_LABEL].pop(model._meta.model_name, None)
