"""``manage.py import_watched DIR [--once]``: the periodic update path. Every data file in DIR
feeds the layer named by its stem (``parcels.gpkg`` -> layer ``parcels``) and is re-imported
when its checksum changes; ``<stem>.import.json`` beside it may give the import's options
(title_uk, kind, crs, access, category, layer_in_file, open_options, landmark_ref,
street_name, address, allow_outside_extent). Run with --once from cron or a systemd timer, or
let it loop every GEOPORTAL_IMPORT_WATCH_INTERVAL seconds."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

from core.errors import PortalError
from importers import conf
from importers.jobs import run_import
from importers.pipeline import ImportOptions, file_checksum, landmark_fields
from layers.models import Layer

DATA_SUFFIXES = {".geojson", ".gpkg", ".shp", ".zip", ".csv", ".kml", ".kmz", ".dxf", ".xml",
                 ".tif", ".tiff"}  # fmt: skip
OPTION_KEYS = ("title_uk", "title_en", "kind", "crs", "access", "category", "layer_in_file",
               "open_options", "encoding", "allow_outside_extent")  # fmt: skip


def slug_for(path: Path) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-")[:48] or "layer"


def options_for(path: Path) -> ImportOptions:
    sidecar = path.with_name(path.stem + ".import.json")
    given = json.loads(sidecar.read_text("utf-8")) if sidecar.exists() else {}
    options = ImportOptions(slug=given.get("slug") or slug_for(path))
    for key in OPTION_KEYS:
        if key in given:
            setattr(options, key, given[key])
    options.layer_fields.update(landmark_fields(given))
    options.source_name = path.name
    return options


class Command(BaseCommand):
    help = "Import changed files from a watched folder into their layers (periodic updates)."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=conf.WATCH_INTERVAL)

    def handle(self, *args, **opts):
        folder = Path(opts["folder"])
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder")
        while True:
            failed = self.sweep(folder)
            if opts["once"]:
                if failed:
                    raise CommandError(f"{failed} file(s) in {folder} failed to import")
                return
            time.sleep(opts["interval"])

    def sweep(self, folder: Path) -> int:
        failed = 0
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in DATA_SUFFIXES or not path.is_file():
                continue
            try:
                options = options_for(path)
                layer = Layer.objects.filter(slug=options.slug).first()
                if layer and layer.source_checksum == file_checksum(path):
                    continue
                report = run_import(path, options)
                self.stdout.write(report.summary())
            except (PortalError, ValueError, DatabaseError) as exc:
                failed += 1
                if isinstance(exc, DatabaseError):
                    connections.close_all()  # the server went away: reconnect for the next file
                detail = (
                    getattr(exc, "detail", None)
                    or (str(exc).strip().splitlines() or [repr(exc)])[0]
                )
                self.stderr.write(f"{path.name}: {detail}")
        return failed
