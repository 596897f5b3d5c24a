"""GPS position from a photo's EXIF tags (Pillow), for reports sent with a picture."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

__all__ = ["exif_location"]

GPS_IFD = 0x8825


def _degrees(value, ref) -> float:
    d, m, s = (float(v) for v in value)
    deg = d + m / 60 + s / 3600
    return -deg if str(ref).upper() in ("S", "W") else deg


def exif_location(image_bytes: bytes) -> tuple[float, float] | None:
    """(lat, lon) from the photo's EXIF GPS tags, or None (no tags, not an image, bad values)."""
    try:
        with Image.open(io.BytesIO(image_bytes)) as img:
            gps = img.getexif().get_ifd(GPS_IFD)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    try:
        lat = _degrees(gps[2], gps.get(1, "N"))
        lon = _degrees(gps[4], gps.get(3, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon
