"""manage.py purge_personal_data [--days N] [--dry-run]: erase reporters' personal data of
reports closed longer than the retention period (GEOPORTAL_REPORTS_RETENTION_DAYS); for cron."""

from django.core.management.base import BaseCommand, CommandError

from geoportal.reports import conf
from geoportal.reports.privacy import purge_expired


class Command(BaseCommand):
    help = "Erase personal data (contacts, IP, photos) of reports closed over N days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help=f"default {conf.RETENTION_DAYS}")
        parser.add_argument("--dry-run", action="store_true", help="only count")

    def handle(self, *args, **opts):
        days = conf.RETENTION_DAYS if opts["days"] is None else opts["days"]
        if days < 0:
            raise CommandError(f"--days must be 0 or more, not {days}")
        count = purge_expired(days, dry_run=opts["dry_run"])
        verb = "would erase" if opts["dry_run"] else "erased"
        self.stdout.write(
            f"{verb} the personal data of {count} reports closed over {days} days ago"
        )
