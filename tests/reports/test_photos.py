"""Photo cleaning: content sniffing, caps, EXIF stripped, downscaled."""

import io

import pytest
from PIL import Image

from geoportal.reports.photos import MAX_SIDE, PhotoError, clean_photo


def _jpeg_with_exif(size=(3000, 1000)):
    img = Image.new("RGB", size, (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def test_exif_stripped_and_downscaled():
    raw = _jpeg_with_exif()
    assert b"SecretCameraMaker" in raw
    out = clean_photo(raw)
    assert b"SecretCameraMaker" not in out
    with Image.open(io.BytesIO(out)) as img:
        assert img.format == "JPEG" and max(img.size) == MAX_SIDE and not img.getexif()


@pytest.mark.parametrize(
    "data", [b"<script>alert(1)</script>", b"GIF89a" + b"\0" * 100, b"x" * (11 * 1024 * 1024)]
)
def test_rejected(data):
    with pytest.raises(PhotoError):
        clean_photo(data)


def test_orientation_is_applied_before_exif_is_dropped():
    img = Image.new("RGB", (64, 48), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(clean_photo(buf.getvalue()))) as out:
        assert out.size == (48, 64) and not out.getexif()
