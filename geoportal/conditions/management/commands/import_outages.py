"""``manage.py import_outages FILE.csv [--replace]``: outages from a utility's CSV
(outage_import.py); one readable line and a non-zero exit on a wrong file, nothing saved."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...outage_import import OutageFileError, import_rows, read_csv


class Command(BaseCommand):
    help = "Import utility outages from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--replace", action="store_true", help="replace the stored outages")

    def handle(self, *args, **opts):
        path = Path(opts["path"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path.name}: cannot be read as UTF-8 text: {exc}") from exc
        try:
            n = import_rows(read_csv(text), replace=opts["replace"])
        except OutageFileError as exc:
            raise CommandError(f"{path.name}: {exc.detail}") from exc
        self.stdout.write(f"{path.name}: {n} outages imported")
