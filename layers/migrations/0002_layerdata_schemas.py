"""Schemas for layer tables and their kept versions, and a read-only role for GIS analysts
who connect QGIS straight to PostGIS (created only where we may create roles)."""

from django.db import migrations

SQL = """
CREATE SCHEMA IF NOT EXISTS layerdata;
CREATE SCHEMA IF NOT EXISTS layerdata_history;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geoportal_reader') THEN
    CREATE ROLE geoportal_reader NOLOGIN;
  END IF;
  GRANT USAGE ON SCHEMA layerdata TO geoportal_reader;
  GRANT SELECT ON ALL TABLES IN SCHEMA layerdata TO geoportal_reader;
  GRANT SELECT ON public.spatial_ref_sys, public.geometry_columns TO geoportal_reader;
  ALTER DEFAULT PRIVILEGES IN SCHEMA layerdata GRANT SELECT ON TABLES TO geoportal_reader;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'no privilege to create the geoportal_reader role; skipped';
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0001_initial")]
    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
