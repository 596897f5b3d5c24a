"""``manage.py load_conditions_demo``: the demo hromada's condition registers (after
``load_demo``): poles and segments from the demo layers, surface conditions as a road
inspection would have left them (seeded, so every run gives the same map), and the demo's
outages from fixtures/demo/conditions/outages.csv."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ... import publish
from ...registers import sync_poles, sync_segments

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo" / "conditions"

# A fixed spread of conditions by segment id: about half good, a few critical; poor and
# critical segments have a repair planned.
SEED_SQL = """
UPDATE conditions_segment SET
  condition = (ARRAY['good','good','good','good','good','fair','fair','fair','poor','critical'])
              [1 + (source_fid * 7 + part * 3) % 10],
  last_inspection = DATE '2025-10-01' + ((source_fid * 13 + part) % 60)::int
WHERE last_inspection IS NULL;
UPDATE conditions_segment SET planned_repair_year = 2026 + (source_fid % 3)::int
WHERE condition IN ('poor', 'critical') AND planned_repair_year IS NULL;
"""


class Command(BaseCommand):
    help = "Load the demo hromada's condition registers and outages."

    def handle(self, *args, **opts):
        poles, segments = sync_poles(), sync_segments()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(SEED_SQL)
            publish.roads()
        outages = DEMO_DIR / "outages.csv"
        if outages.exists():
            call_command("import_outages", str(outages), "--replace-demo", stdout=self.stdout)
        self.stdout.write(f"conditions demo: {poles} poles, {segments} segments")
