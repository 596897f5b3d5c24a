"""``manage.py import_watched DIR [--once]``: the periodic update path. Every data file in DIR
feeds the layer named by its stem, transliterated by the national table (``parcels.gpkg`` ->
``parcels``, ``Земельні ділянки 2026.gpkg`` -> ``zemelni-dilianky-2026``), or by the ``slug``
of ``<stem>.import.json`` beside it, which may also give the import's options (title_uk, kind,
crs, access, category, layer_in_file, open_options, landmark_ref, street_name, address,
allow_outside_extent, schema). A file is re-imported when it or its sidecar changes (the
layer's checksum covers both). Two files naming one layer are both refused, each with a line
saying which, until one is renamed or given a sidecar slug: two sources would otherwise feed
one layer in turn on every run. Run with --once from cron or a systemd timer, or let it loop
every GEOPORTAL_IMPORT_WATCH_INTERVAL seconds."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

from core.errors import PortalError
from importers import conf
from importers.errors import ImportFailed
from importers.jobs import run_import
from importers.naming import slug_name
from importers.pipeline import ImportOptions, file_checksum, landmark_fields
from layers.models import Layer

DATA_SUFFIXES = {".geojson", ".gpkg", ".shp", ".zip", ".csv", ".kml", ".kmz", ".dxf", ".xml",
                 ".tif", ".tiff"}  # fmt: skip
OPTION_KEYS = ("title_uk", "title_en", "kind", "crs", "access", "category", "layer_in_file",
               "open_options", "encoding", "allow_outside_extent", "schema")  # fmt: skip


def slug_for(path: Path) -> str:
    """The layer a file feeds when its sidecar names none (ImportFailed if its name has no
    letters or digits to make one of)."""
    slug = slug_name(path.stem)
    if not slug:
        raise ImportFailed(
            f"{path.name}: no layer name can be made of the file name; name the layer in "
            f'{path.stem}.import.json ({{"slug": "..."}})',
            code="bad-name",
        )
    return slug


def sidecar_of(path: Path) -> Path | None:
    sidecar = path.with_name(path.stem + ".import.json")
    return sidecar if sidecar.exists() else None


def options_for(path: Path) -> ImportOptions:
    sidecar = sidecar_of(path)
    try:
        given = json.loads(sidecar.read_text("utf-8")) if sidecar else {}
    except (ValueError, OSError) as exc:
        raise ImportFailed(f"{sidecar.name}: not a readable JSON object: {exc}") from exc
    if not isinstance(given, dict):
        raise ImportFailed(f"{sidecar.name}: not a JSON object", code="bad-sidecar")
    options = ImportOptions(slug=given.get("slug") or slug_for(path))
    options.sidecar = sidecar
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

    def plan(self, folder: Path) -> tuple[list[tuple[Path, ImportOptions]], list[str]]:
        """The files to consider with their options, and one line per file refused (a bad
        sidecar, or two files naming one layer)."""
        by_slug, refused = defaultdict(list), []
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in DATA_SUFFIXES or not path.is_file():
                continue
            try:
                options = options_for(path)
            except PortalError as exc:
                refused.append(exc.detail)
                continue
            by_slug[options.slug].append((path, options))
        planned = []
        for slug, files in by_slug.items():
            if len(files) == 1:
                planned += files
                continue
            names = ", ".join(p.name for p, _ in files)
            for path, _ in files:
                refused.append(
                    f"{path.name}: not imported: {names} all feed layer {slug!r}; rename one, "
                    f'or name its layer in {path.stem}.import.json ({{"slug": "..."}})'
                )
        return planned, refused

    def sweep(self, folder: Path) -> int:
        planned, refused = self.plan(folder)
        for line in refused:
            self.stderr.write(line)
        failed = len(refused)
        for path, options in planned:
            try:
                layer = Layer.objects.filter(slug=options.slug).first()
                if layer and layer.source_checksum == file_checksum(path, options.sidecar):
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
