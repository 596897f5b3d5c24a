"""``manage.py sync_conditions``: fill the pole and segment registers from the layers holding
the ``street-lights`` and ``streets`` roles (after a re-import of either) and republish the
condition layers. States, history and inspections of kept assets stay."""

from django.core.management.base import BaseCommand

from ...registers import sync_poles, sync_segments


class Command(BaseCommand):
    help = "Fill the condition registers from the street-lights and streets layers."

    def handle(self, *args, **opts):
        poles, segments = sync_poles(), sync_segments()
        self.stdout.write(f"conditions: {poles} street-light poles, {segments} street segments")
