"""``manage.py load_demo``: load the demo hromada from fixtures/demo/manifest.json.

Idempotent: a layer whose source file has not changed since it was loaded is skipped, so a
second ``make demo`` is fast. Such a layer still takes the manifest's ``role`` and its style's
``panel_group`` (what the portal used to know by slug): a database loaded before layers had
roles gets them without re-importing anything.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from importers.errors import ImportFailed
from importers.pipeline import (
    LANDMARK_OPTIONS,
    ImportOptions,
    check_role,
    file_checksum,
    import_vector,
    landmark_fields,
)
from importers.raster import import_raster
from layers.models import Layer

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
LAYER_FIELDS = ("min_zoom", "max_zoom", "licence", "attribution", "source")


def demo_options(entry: dict, sort_order: int) -> ImportOptions:
    fields = {k: entry[k] for k in LAYER_FIELDS if entry.get(k) is not None}
    fields["is_basemap"] = bool(entry.get("basemap"))
    fields["sort_order"] = sort_order
    fields.update(
        {field: "" for field in LANDMARK_OPTIONS}
    )  # a field the manifest drops is cleared
    fields.update(landmark_fields(entry))
    return ImportOptions(
        slug=entry["slug"],
        title_uk=entry.get("title_uk"),
        title_en=entry.get("title_en"),
        category=entry.get("category"),
        kind=entry.get("kind"),
        access=entry.get("access"),
        role=entry.get("role") or "",  # as with landmark fields, a dropped role is cleared
        crs=entry.get("crs"),
        layer_in_file=entry.get("layer_in_file"),
        open_options=entry.get("open_options") or {},
        attributes=entry.get("attributes"),
        style=entry.get("style") or {},
        layer_fields=fields,
    )


def _keep_placement(layer: Layer, options: ImportOptions) -> None:
    """Give an unchanged layer the manifest's role and panel group (an import would set them)."""
    group = (options.style or {}).get("panel_group")
    style = dict(layer.style or {})
    if group:
        style["panel_group"] = group
    if layer.role == options.role and style == (layer.style or {}):
        return
    try:
        check_role(options, options.slug)
    except ImportFailed as exc:
        raise CommandError(exc.detail) from exc
    layer.role, layer.style = options.role, style
    layer.save()  # a changed style bumps the version (layers.signals): cached tiles are not reused


class Command(BaseCommand):
    help = "Load (or refresh) the demo hromada's layers."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(DEMO_DIR))
        parser.add_argument("--only", nargs="*", help="slugs to load")
        parser.add_argument("--force", action="store_true", help="re-import unchanged files too")

    def handle(self, *args, **opts):
        base = Path(opts["dir"])
        manifest_path = base / "manifest.json"
        if not manifest_path.exists():
            raise CommandError(f"{manifest_path} not found: run `python fixtures/generate_demo.py`")
        manifest = json.loads(manifest_path.read_text())
        started = time.monotonic()
        loaded = skipped = 0
        for order, entry in enumerate(manifest["layers"]):
            if opts["only"] and entry["slug"] not in opts["only"]:
                continue
            path = base / entry["file"]
            layer = Layer.objects.filter(slug=entry["slug"]).first()
            options = demo_options(entry, order)
            if layer and not opts["force"] and layer.source_checksum == file_checksum(path):
                _keep_placement(layer, options)
                skipped += 1
                continue
            try:
                if entry.get("raster"):
                    report = import_raster(path, options)
                else:
                    report = import_vector(path, options)
            except ImportFailed as exc:
                raise CommandError(f"{entry['slug']}: {exc.detail}") from exc
            loaded += 1
            self.stdout.write(report.summary())
        self.stdout.write(
            f"demo hromada: {loaded} layers loaded, {skipped} unchanged, {time.monotonic() - started:.1f} s"
        )
