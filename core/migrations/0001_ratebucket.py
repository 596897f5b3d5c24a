"""The token buckets of core.ratelimit: one UNLOGGED row per key (a crash empties the table,
which only refills every bucket), written by one atomic statement per take."""

from django.db import migrations

CREATE = """
CREATE UNLOGGED TABLE core_ratebucket (
    key text PRIMARY KEY,
    tokens double precision NOT NULL,
    stamp timestamptz NOT NULL,
    granted boolean NOT NULL
);
CREATE INDEX core_ratebucket_stamp ON core_ratebucket (stamp);
"""


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunSQL(CREATE, "DROP TABLE IF EXISTS core_ratebucket")]
