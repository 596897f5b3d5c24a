"""The analysts' read-only role geoportal_reader sees the live tables of public layers only:
0002 granted SELECT on every table in layerdata, staff-only networks included, and made that
the default for every new table. The default goes; the grants follow the registry from now on
(layers.storage.sync_reader_grants, called on every import and change of a layer).

Reversing restores 0002's grants (every table, and the default), i.e. the state before."""

from django.db import migrations

DEFAULT_OFF = """
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geoportal_reader') THEN
    ALTER DEFAULT PRIVILEGES IN SCHEMA layerdata REVOKE SELECT ON TABLES FROM geoportal_reader;
  END IF;
END $$;
"""
BACK_TO_0002 = """
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geoportal_reader') THEN
    GRANT SELECT ON ALL TABLES IN SCHEMA layerdata TO geoportal_reader;
    ALTER DEFAULT PRIVILEGES IN SCHEMA layerdata GRANT SELECT ON TABLES TO geoportal_reader;
  END IF;
END $$;
"""


def sync(apps, schema_editor):
    from layers.storage import sync_reader_grants

    with schema_editor.connection.cursor() as cursor:
        sync_reader_grants(cursor)


class Migration(migrations.Migration):
    dependencies = [("layers", "0004_layer_role")]
    operations = [
        migrations.RunSQL(DEFAULT_OFF, BACK_TO_0002),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
