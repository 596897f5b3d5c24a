"""manage.py backup [--output DIR]: database + uploaded files into <DIR>/<timestamp>/."""

from django.core.management.base import BaseCommand, CommandError

from geoportal.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc) and the media and raster folders."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="parent folder (default GEOPORTAL_BACKUP_DIR)")

    def handle(self, *args, **opts):
        try:
            path = backup(opts["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
