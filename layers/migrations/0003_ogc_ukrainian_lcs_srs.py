"""Make the regional UCS-2000 local coordinate systems the analyst APIs offer known to PostGIS
(ST_Transform): PostGIS 3.3's spatial_ref_sys lacks EPSG 9821-9865. Rows come from pyproj's
EPSG database (proj4 + WKT); existing rows are left alone."""

import warnings

from django.db import migrations

#: EPSG codes of regional systems offered by WFS / OGC API / exports (LCS-35 Kirovohrad:
#: the demo hromada's oblast).
LCS_CODES = [9840]


def add_srs(apps, schema_editor):
    from pyproj import CRS

    warnings.filterwarnings("ignore", message="You will likely lose", category=UserWarning)

    with schema_editor.connection.cursor() as cur:
        for code in LCS_CODES:
            cur.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", [code])
            if cur.fetchone():
                continue
            crs = CRS.from_epsg(code)
            # PROJ strings drop the datum shift: reuse UCS-2000's towgs84 from EPSG:5561.
            cur.execute("SELECT proj4text FROM spatial_ref_sys WHERE srid = 5561")
            base = cur.fetchone()[0]
            towgs84 = next((p for p in base.split() if p.startswith("+towgs84=")), "")
            proj4 = crs.to_proj4().replace("+ellps=krass", f"+ellps=krass {towgs84}".strip())
            cur.execute(
                "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)"
                " VALUES (%s, 'EPSG', %s, %s, %s)",
                [code, code, crs.to_wkt("WKT1_GDAL"), proj4],
            )


def remove_srs(apps, schema_editor):
    pass  # keeping the definitions is harmless


class Migration(migrations.Migration):
    dependencies = [("layers", "0002_layerdata_schemas")]
    operations = [migrations.RunPython(add_srs, remove_srs)]
