"""GPS from a photo's EXIF tags."""

from geoportal.locator.exif import exif_location
from tests.conftest import jpeg


def test_exif_gps_is_read():
    data = jpeg({1: "N", 2: (48.0, 6.0, 36.0), 3: "E", 4: (32.0, 45.0, 50.4)})
    lat, lon = exif_location(data)
    assert abs(lat - 48.11) < 1e-6 and abs(lon - 32.764) < 1e-6


def test_no_gps_or_not_an_image():
    assert exif_location(jpeg(None)) is None
    assert exif_location(b"not an image at all") is None
    assert exif_location(b"") is None
