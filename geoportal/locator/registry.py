"""The landmark registry: which layers are landmark sources, (re)building their rows from the
layer store, and the in-memory vocabulary of street, place and settlement names.

A source is a layer with ``landmark_ref`` (poles, manholes, stops: one point per feature),
``street_name_field`` (street centre lines) or ``address_fields`` ("street,number": buildings
or address points), plus the layers of the roles in conf.NAMED_PLACE_ROLES. Rows are rebuilt
lazily: ``ensure_fresh()`` compares each source's Layer.version with the version its rows were
built from (one small query per call) and rebuilds what changed, so a re-import needs no hook.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count

from layers.models import Layer, LayerRole
from layers.roles import layer_for
from layers.storage import quote, table_exists

from . import conf, geo
from .models import Landmark, LandmarkKind, LandmarkSource
from .text import STREET_TYPES, house_norm, name_tokens, ref_norm, street_key, tokenize

__all__ = ["Vocabulary", "build_landmarks", "ensure_fresh", "source_layers", "vocabulary"]

NEAREST_STREET_M = 60  # a pole or stop takes the name of the street within this distance
LOCK_KEY = 7_403_117  # advisory lock namespace of registry rebuilds


def source_config(layer: Layer) -> str:
    """What makes ``layer`` a source ("" if it is none); part of the rebuild key."""
    if layer.is_raster:
        return ""
    if layer.landmark_ref:
        return f"ref:{layer.landmark_ref}"
    if layer.street_name_field:
        return f"street:{layer.street_name_field}"
    if layer.address_fields:
        return f"address:{layer.address_fields}"
    if layer.role and layer.role in conf.NAMED_PLACE_ROLES:
        return f"place:{conf.NAMED_PLACE_ROLES[layer.role]}"
    return ""


def source_layers():
    layers = Layer.objects.exclude(geometry_type="Raster").only(
        "pk", "slug", "role", "version", "geometry_type", "landmark_ref", "street_name_field",
        "address_fields", "title_uk", "title_en",
    )  # fmt: skip
    return [layer for layer in layers if source_config(layer)]


def layer_kind(layer: Layer) -> str:
    if layer.role and layer.role in conf.ROLE_KINDS:
        return conf.ROLE_KINDS[layer.role]
    config = source_config(layer)
    if config.startswith("street:"):
        return LandmarkKind.STREET
    if config.startswith("address:"):
        return LandmarkKind.ADDRESS
    title = f"{layer.slug} {layer.title_uk} {layer.title_en}".lower()
    if any(w in title for w in ("опор", "pole", "стовп")):
        return LandmarkKind.POLE
    if any(w in title for w in ("колод", "люк", "manhole")):
        return LandmarkKind.MANHOLE
    if any(w in title for w in ("зупин", "stop")):
        return LandmarkKind.STOP
    return LandmarkKind.FACILITY


def build_landmarks(layer: Layer, force: bool = False) -> int:
    """Replace ``layer``'s landmark rows from its live table; returns the number of rows."""
    config = source_config(layer)
    with transaction.atomic():
        # Two workers may notice the same stale layer: the second waits, then finds it fresh.
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_KEY, layer.pk])
        done = LandmarkSource.objects.filter(layer=layer).first()
        if done and done.version == layer.version and done.config == config and not force:
            return done.count
        Landmark.objects.filter(layer=layer).delete()
        count = 0
        if config and table_exists(layer.table_name):
            count = _insert_rows(layer, config)
            if count:
                _assign_settlements(layer)
                if layer_kind(layer) not in (LandmarkKind.STREET, LandmarkKind.ADDRESS):
                    _assign_streets(layer)
        LandmarkSource.objects.update_or_create(
            layer=layer, defaults={"version": layer.version, "config": config, "count": count}
        )
    _vocab_cache.clear()
    return count


def _insert_rows(layer: Layer, config: str) -> int:
    what, _, fields = config.partition(":")
    names = fields.split(",")
    if any(n not in layer.attribute_names() for n in names):
        return 0
    kind = layer_kind(layer)
    street_attr = next((a for a in conf.STREET_ATTRIBUTES if a in layer.attribute_names()), None)
    if what in ("ref", "place") and street_attr:
        names = names + [
            street_attr
        ]  # used for matching only, never shown (see strategies._settle)
    rows = geo.layer_features(layer.table_name, names, whole=kind == LandmarkKind.STREET)
    buf = io.StringIO()
    count = 0
    for row in rows:
        fid, values, wkb = row[0], row[1:-1], row[-1]
        if values[0] is None or not str(values[0]).strip():
            continue
        if what in ("street", "address") and any(v is None or not str(v).strip() for v in values):
            continue
        if what == "street":
            ref = values[0].strip()
            street = ref
            norm = street_norm = street_key(ref)[1]
        elif what == "address":
            street, ref = values[0].strip(), values[1].strip()
            norm, street_norm = house_norm(ref), street_key(street)[1]
        else:
            ref, street = values[0].strip(), ""
            street_norm = street_key(values[1])[1] if len(values) > 1 and values[1] else ""
            norm = ref_norm(ref)
        fields_out = [layer.pk, fid, kind, ref[:300], norm[:300], street[:300], street_norm[:300]]
        clean = [
            str(v).replace("\t", " ").replace("\n", " ").replace("\\", "/") for v in fields_out
        ]
        buf.write("\t".join(clean) + "\t\t" + bytes(wkb).hex() + "\n")
        count += 1
    table = quote(Landmark._meta.db_table)
    with connection.cursor() as cur:
        with cur.copy(
            f"COPY {table} (layer_id, fid, kind, ref, ref_norm, street, street_norm, settlement, geom) "
            "FROM STDIN"
        ) as copy:
            copy.write(buf.getvalue())
    return count


def _assign_settlements(layer: Layer) -> None:
    settlements = layer_for(LayerRole.SETTLEMENTS)
    if not settlements or conf.SETTLEMENT_NAME_FIELD not in settlements.attribute_names():
        return
    if not table_exists(settlements.table_name):
        return
    geo.name_settlements(layer.pk, settlements.table_name, conf.SETTLEMENT_NAME_FIELD)


def _assign_streets(layer: Layer) -> None:
    """Name point landmarks after the nearest public street line (never a staff attribute)."""
    geo.name_streets(layer.pk, NEAREST_STREET_M)


_fresh_lock = threading.Lock()


CHECK_EVERY_S = 2.0  # how stale a worker's view of layer versions may get
_last_check = [0.0]


def ensure_fresh(force: bool = False, now: bool = False) -> list[str]:
    """Rebuild the rows of sources whose layer changed since; returns the rebuilt slugs.
    Looks at most every CHECK_EVERY_S seconds per process, unless ``now`` (look) or
    ``force`` (rebuild every source)."""
    started = time.monotonic()
    if not (force or now) and started - _last_check[0] < CHECK_EVERY_S:
        return []
    _last_check[0] = started
    built = {s.layer_id: s for s in LandmarkSource.objects.all()}
    stale = []
    layers = {layer.pk: layer for layer in source_layers()}
    for layer in layers.values():
        src = built.get(layer.pk)
        if (
            force
            or src is None
            or src.version != layer.version
            or src.config != source_config(layer)
        ):
            stale.append(layer)
    # Layers that stopped being sources keep no rows.
    gone = [pk for pk in built if pk not in layers and built[pk].count]
    if not stale and not gone:
        return []
    with _fresh_lock:
        for pk in gone:
            Landmark.objects.filter(layer_id=pk).delete()
            LandmarkSource.objects.filter(layer_id=pk).update(count=0)
        # Streets first: points take their street names from them.
        stale.sort(key=lambda layer: layer_kind(layer) != LandmarkKind.STREET)
        for layer in stale:
            build_landmarks(layer, force=force)
        _vocab_cache.clear()
    return [layer.slug for layer in stale]


@dataclass
class Place:
    id: int
    layer_id: int
    kind: str
    ref: str
    street_type: str
    key: list[str]  # lemmas of the name (street key without its type word)
    settlement: str
    words: list[str] = None  # the name's words as written (folded), without the type word


@dataclass
class Vocabulary:
    streets: list[Place]
    places: list[Place]  # stops and facilities
    settlements: list[str]
    default_settlement: str
    public_layers: set[int]


_vocab_cache: dict[tuple, Vocabulary] = {}


def vocabulary() -> Vocabulary:
    """Names of streets, places and settlements (cached until the registry is rebuilt)."""
    # Keyed by what was built when: another worker may have rebuilt a source since.
    fingerprint = tuple(
        LandmarkSource.objects.order_by("layer_id").values_list("layer_id", "version", "built_at")
    )
    vocab = _vocab_cache.get(fingerprint)
    if vocab is not None:
        return vocab
    streets, places, counts = [], [], {}
    rows = Landmark.objects.filter(
        kind__in=[LandmarkKind.STREET, LandmarkKind.STOP, LandmarkKind.FACILITY]
    ).values_list("id", "layer_id", "kind", "ref", "settlement")
    for pk, layer_id, kind, ref, settlement in rows:
        if kind == LandmarkKind.STREET:
            street_type, key = street_key(ref)
            words = [t for t in tokenize(ref) if t not in STREET_TYPES]
            streets.append(
                Place(pk, layer_id, kind, ref, street_type, key.split(), settlement, words)
            )
        else:
            places.append(Place(pk, layer_id, kind, ref, "", name_tokens(ref), settlement))
    for row in Landmark.objects.exclude(settlement="").values("settlement").annotate(n=Count("id")):
        counts[row["settlement"]] = row["n"]
    public = set(Layer.objects.filter(access="public").values_list("pk", flat=True))
    default = max(counts, key=counts.get) if counts else ""
    vocab = Vocabulary(streets, places, sorted(counts), default, public)
    _vocab_cache.clear()
    _vocab_cache[fingerprint] = vocab
    return vocab
