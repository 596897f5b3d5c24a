"""Photo cleaning: content sniffing, caps, EXIF stripped, downscaled."""

import io

import pytest
from PIL import Image

from geoportal.reports.photos import MAX_SIDE, PhotoError, clean_photo
from tests.conftest import jpeg


def test_exif_stripped_and_downscaled():
    raw = jpeg(size=(3000, 1000))
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
    rotated = jpeg(size=(64, 48), tags={0x0112: 6})  # rotate 90° clockwise to display
    with Image.open(io.BytesIO(clean_photo(rotated))) as out:
        assert out.size == (48, 64) and not out.getexif()
