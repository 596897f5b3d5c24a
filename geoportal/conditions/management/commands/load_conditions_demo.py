"""``manage.py load_conditions_demo``: the demo hromada's condition registers (after
``load_demo``): poles and segments from the demo layers, surface conditions as a road
inspection would have left them (seeded, so every run gives the same map), and the demo's
outages around the present moment (one on now, planned ones, one that has ended), and the
budget projects of fixtures/demo/conditions/budget_projects.csv (the budget kind)."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from ... import publish
from ...outage_import import import_rows
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
        outages = import_rows(demo_outages(), replace=True)
        call_command("import_layer", str(DEMO_DIR / "budget_projects.csv"), "--layer",
                     "budget-projects", "--kind", "budget", "--crs", "EPSG:4326",
                     "--title", "Бюджетні проєкти", "--title-en", "Budget projects",
                     verbosity=0)  # fmt: skip
        self.stdout.write(f"conditions demo: {poles} poles, {segments} segments, {outages} outages")


def demo_outages() -> list[dict]:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    def at(hours):
        return (now + timedelta(hours=hours)).isoformat()

    return [
        {"service": "water", "kind": "emergency", "starts_at": at(-3), "ends_at": at(5),
         "addresses": "вулиця Тополина: 1-15", "reason": "Пошкодження водогону",
         "contact": "КП «Водоканал», 0800 000 001"},
        {"service": "electricity", "kind": "planned", "starts_at": at(20), "ends_at": at(26),
         "addresses": "вулиця Тополина", "reason": "Заміна опор лінії 0,4 кВ",
         "contact": "Кіровоградобленерго, 0800 000 002"},
        {"service": "gas", "kind": "planned", "starts_at": at(-50), "ends_at": at(-40),
         "addresses": "вулиця Тополина: 27/2", "reason": "Планові роботи (завершено)",
         "contact": "Газмережі, 104"},
    ]  # fmt: skip
