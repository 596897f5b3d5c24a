"""manage.py restore PATH [--force]: load a backup folder into the configured database."""

from django.core.management.base import BaseCommand, CommandError

from geoportal.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`; refuses to overwrite data without --force."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a backup folder (var/backups/<timestamp>)")
        parser.add_argument(
            "--force", action="store_true", help="replace the database's and folders' contents"
        )

    def handle(self, *args, **opts):
        try:
            done = restore(opts["path"], force=opts["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored and verified: {done['layers']} layers, {done['features']} features, "
            f"{len(done['tables'])} tables"
        )
