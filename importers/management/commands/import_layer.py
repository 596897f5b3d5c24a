"""``manage.py import_layer PATH --layer SLUG ...``: import a file into a layer."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from importers.errors import ImportFailed
from importers.pipeline import ImportOptions, import_vector
from importers.raster import import_raster
from layers.models import Access, Category, LayerKind

RASTER_SUFFIXES = {".tif", ".tiff", ".geotiff"}


class Command(BaseCommand):
    help = "Import a GIS file into a layer (created if new, replaced atomically if it exists)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--layer", required=True, dest="slug", help="layer slug")
        parser.add_argument("--title", help="Ukrainian title")
        parser.add_argument("--title-en")
        parser.add_argument("--category", choices=Category.values)
        parser.add_argument("--kind", choices=LayerKind.values)
        parser.add_argument("--crs", help="CRS for files that declare none, e.g. EPSG:6385")
        parser.add_argument("--layer-in-file", help="layer name inside a multi-layer file")
        parser.add_argument("--access", choices=Access.values)
        parser.add_argument("--encoding", help="attribute encoding, e.g. cp1251")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument("--allow-outside-extent", action="store_true")

    def handle(self, *args, **opts):
        path = Path(opts["path"])
        options = ImportOptions(
            slug=opts["slug"],
            title_uk=opts["title"],
            title_en=opts["title_en"],
            category=opts["category"],
            kind=opts["kind"],
            access=opts["access"],
            crs=opts["crs"],
            layer_in_file=opts["layer_in_file"],
            encoding=opts["encoding"],
            dry_run=opts["dry_run"],
            allow_outside_extent=opts["allow_outside_extent"],
        )
        try:
            if path.suffix.lower() in RASTER_SUFFIXES:
                report = import_raster(path, options)
            else:
                bar = tqdm(
                    total=0, unit=" features", disable=not sys.stderr.isatty(), file=sys.stderr
                )

                def progress(done, total):
                    bar.total = total or done
                    bar.update(done - bar.n)

                try:
                    report = import_vector(path, options, progress=progress)
                finally:
                    bar.close()
        except ImportFailed as exc:
            raise CommandError(exc.detail) from exc
        for row, why in report.rejected[:20]:
            self.stderr.write(f"rejected row {row}: {why}")
        for warning in report.warnings[:20]:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(report.summary())
