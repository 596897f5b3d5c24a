"""manage.py export_map: write a standalone shareable HTML map of public layers in a bbox."""

from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from core.errors import PortalError
from geoportal.webmap.export import build_map, parse_bbox


class Command(BaseCommand):
    help = "Write a self-contained HTML map (public layers only) of a bbox to a file."

    def add_arguments(self, parser):
        parser.add_argument("--layers", required=True, help="comma-separated layer slugs")
        parser.add_argument("--bbox", required=True, help="minlon,minlat,maxlon,maxlat")
        parser.add_argument("--out", required=True, help="output .html file")
        parser.add_argument("--language", default="uk", choices=["uk", "en"])
        parser.add_argument(
            "--assets-url",
            default=None,
            help="URL prefix of the portal's Leaflet copies (e.g. https://portal/static/vendor/) "
            "to link instead of inlining them",
        )

    def handle(self, *args, layers, bbox, out, language, assets_url, **options):
        try:
            html = build_map(
                AnonymousUser(),  # a shareable map shows only what anyone may see
                [s for s in layers.split(",") if s],
                parse_bbox(bbox),
                language,
                local_assets=assets_url,
            )
        except PortalError as err:
            raise CommandError(err.detail) from None
        try:
            Path(out).write_text(html, encoding="utf-8")
        except OSError as err:
            raise CommandError(f"cannot write {out}: {err.strerror}") from None
        self.stdout.write(f"wrote {out} ({len(html) // 1024} KB)")
