"""``manage.py import_layer PATH|URL --layer SLUG ...``: import a file (or a URL) into a layer;
``--rollback [VERSION]`` restores a kept version instead. Errors: exit 1 and one line."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from core.errors import PortalError
from importers.jobs import run_import
from importers.pipeline import ImportOptions, landmark_fields
from importers.uploads import download
from importers.versions import kept_versions, rollback
from layers.models import Access, Category, LayerKind, LayerRole


class Command(BaseCommand):
    help = (
        "Import a GIS file or URL into a layer (created if new, replaced atomically if it exists)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="file, or an http(s) URL to fetch")
        parser.add_argument("--layer", required=True, dest="slug", help="layer slug")
        parser.add_argument("--title", help="Ukrainian title")
        parser.add_argument("--title-en")
        parser.add_argument("--category", choices=Category.values)
        parser.add_argument("--kind", choices=LayerKind.values, help="domain kind of the data")
        parser.add_argument("--role", choices=[*LayerRole.values, ""], metavar="ROLE",
                            help="what the layer is for in the portal (one layer per role): "
                            f"{', '.join(LayerRole.values)}; '' clears it")  # fmt: skip
        parser.add_argument("--crs", help="CRS for files that declare none, e.g. EPSG:6385")
        parser.add_argument("--layer-in-file", help="layer name inside a multi-layer file")
        parser.add_argument("--access", choices=Access.values)
        parser.add_argument("--encoding", help="attribute encoding, e.g. cp1251")
        parser.add_argument("--dry-run", action="store_true",
                            help="a preview: what would be added, removed and changed; writes nothing")  # fmt: skip
        parser.add_argument("--schema", choices=["replace"],
                            help="accept a re-import that changes the geometry type or drops columns")  # fmt: skip
        parser.add_argument("--allow-outside-extent", action="store_true",
                            help="accept data outside the hromada (a neighbour's, test data)")  # fmt: skip
        parser.add_argument("--keep-3d", action="store_true", help="keep Z coordinates")
        parser.add_argument("--landmark-ref", metavar="FIELD",
                            help="field with the number residents see on the asset (pole, manhole)")  # fmt: skip
        parser.add_argument(
            "--street-name", metavar="FIELD", help="street name field (centre lines)"
        )
        parser.add_argument("--address", metavar="STREET,NUMBER",
                            help="address fields (buildings, address points)")  # fmt: skip
        parser.add_argument("--rollback", nargs="?", const=0, type=int, metavar="VERSION",
                            help="restore a kept version (default: the newest kept) instead of importing")  # fmt: skip
        parser.add_argument("--list-versions", action="store_true", help="show the kept versions")

    def handle(self, *args, **opts):
        try:
            self._handle(opts)
        except PortalError as exc:
            raise CommandError(exc.detail) from exc
        except DatabaseError as exc:
            first = (str(exc).strip().splitlines() or ["no answer"])[0]
            raise CommandError(
                f"database unavailable during the import ({first}); the layer is unchanged: "
                "run the import again when PostgreSQL is back"
            ) from exc

    def _handle(self, opts):
        slug = opts["slug"]
        if opts["list_versions"]:
            self.stdout.write(f"{slug}: kept versions {kept_versions(slug) or 'none'}")
            return
        if opts["rollback"] is not None:
            layer = rollback(slug, opts["rollback"] or None)
            self.stdout.write(
                f"{slug}: rolled back, now version {layer.version} with {layer.feature_count} features"
            )
            return
        if not opts["path"]:
            raise CommandError("give a file or URL to import (or --rollback)")
        fields = landmark_fields(opts)
        options = ImportOptions(
            slug=slug,
            title_uk=opts["title"],
            title_en=opts["title_en"],
            category=opts["category"],
            kind=opts["kind"],
            access=opts["access"],
            role=opts["role"],
            crs=opts["crs"],
            layer_in_file=opts["layer_in_file"],
            encoding=opts["encoding"],
            dry_run=opts["dry_run"],
            schema=opts["schema"],
            allow_outside_extent=opts["allow_outside_extent"],
            force_2d=not opts["keep_3d"],
            layer_fields=fields,
        )
        source = opts["path"]
        fetched = None
        if source.startswith(("http://", "https://")):
            path = fetched = download(source)
            options.source_name = source
        else:
            path = Path(source)
        bar = tqdm(total=0, unit=" features", disable=not sys.stderr.isatty(), file=sys.stderr)

        def progress(done, total):
            bar.total = total or done
            bar.update(done - bar.n)

        try:
            report = run_import(path, options, progress=progress)
        finally:
            bar.close()
            if fetched:
                shutil.rmtree(fetched.parent, ignore_errors=True)
        for row, why in report.rejected[:20]:
            self.stderr.write(f"rejected row {row}: {why}")
        for warning in report.warnings[:20]:
            self.stderr.write(f"warning: {warning}")
        if len(report.warnings) > 20:
            self.stderr.write(
                f"... and {len(report.warnings) - 20} more warnings (see the import record)"
            )
        self.stdout.write(report.summary())
