"""CRS resolution and the outside-extent diagnosis (pure pyproj/shapely, no database)."""

import numpy as np
import pytest
import shapely
from pyproj import CRS, Transformer

from importers.crs import diagnose_outside, resolve_crs, to_storage
from importers.errors import ImportFailed

# Dolynska town centre and a box around the hromada (lon/lat).
LON, LAT = 32.764, 48.110
EXTENT = [32.55, 47.95, 33.0, 48.3]


def _in_3857(x, y):
    return Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True).transform(x, y)


def test_missing_crs_is_a_named_error():
    with pytest.raises(ImportFailed) as exc:
        resolve_crs(None, None, "plan.shp")
    assert "plan.shp" in str(exc.value) and "--crs" in str(exc.value)


def test_unknown_crs_is_a_named_error():
    with pytest.raises(ImportFailed) as exc:
        resolve_crs(None, "EPSG:99999999", "plan.shp")
    assert "unknown coordinate system" in str(exc.value)


def test_lcs35_kirovohrad_reprojects_with_pyproj():
    """EPSG:9840 (UCS-2000 / LCS-35 Kirovohrad) is absent from stock PostGIS; pyproj does it."""
    crs = resolve_crs(None, "EPSG:9840", "parcels.gpkg")
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    e, n = fwd.transform(LON, LAT)
    out = to_storage(np.array([shapely.Point(e, n)]), crs)
    lon, lat = _in_3857(*shapely.get_coordinates(out)[0])
    assert abs(lon - LON) < 1e-5 and abs(lat - LAT) < 1e-5


def test_swapped_axes_are_diagnosed():
    crs = CRS.from_epsg(6385)  # UCS-2000 / Ukraine TM zone 11
    e, n = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(LON, LAT)
    swapped = np.array([shapely.Point(n, e)])
    assert "swapped" in diagnose_outside(swapped, crs, EXTENT)
