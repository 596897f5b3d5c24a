"""manage.py migrate_on_start: what a starting container does before gunicorn (deploy/entrypoint.sh).

Under a PostgreSQL advisory lock, so that several web containers starting at once migrate one
after the other (the others wait, then find nothing to do): apply the migrations, bring the
analysts' grants in line with the registry, and drop tiles cached by another render version."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from layers.storage import sync_reader_grants
from tiles import cache

# pg_advisory_lock key: any constant the portal owns ("geoportal" as an integer).
LOCK_KEY = int.from_bytes(b"geoport", "big")


class Command(BaseCommand):
    help = "Apply migrations under an advisory lock and refresh what depends on the release."

    def handle(self, *args, **opts):
        verbosity = opts["verbosity"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
            try:
                call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
                sync_reader_grants()
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        if cache.invalidate_on_upgrade():
            self.stdout.write("tile cache: tiles of an earlier render version moved aside")
        self.stdout.write("migrations applied")
