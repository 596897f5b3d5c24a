"""``manage.py conditions_tick``: lamps repaired more than GEOPORTAL_CONDITIONS_REPAIRED_DAYS
ago count as working again (run it hourly from cron; outages need no tick: they are queried by
time)."""

from django.core.management.base import BaseCommand

from ...registers import expire_repaired


class Command(BaseCommand):
    help = "Repaired street lamps back to working after the set number of days."

    def handle(self, *args, **opts):
        self.stdout.write(f"conditions: {expire_repaired()} lamps back to working")
