"""GPS from a photo's EXIF tags."""

import io

from PIL import Image

from geoportal.locator import exif_location


def jpeg(gps: dict | None) -> bytes:
    img = Image.new("RGB", (8, 8), "white")
    exif = Image.Exif()
    if gps is not None:
        exif.get_ifd(0x8825).update(gps)
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def test_exif_gps_is_read():
    data = jpeg({1: "N", 2: (48.0, 6.0, 36.0), 3: "E", 4: (32.0, 45.0, 50.4)})
    lat, lon = exif_location(data)
    assert abs(lat - 48.11) < 1e-6 and abs(lon - 32.764) < 1e-6


def test_no_gps_or_not_an_image():
    assert exif_location(jpeg(None)) is None
    assert exif_location(b"not an image at all") is None
    assert exif_location(b"") is None
