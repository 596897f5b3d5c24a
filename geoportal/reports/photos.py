"""Report photos: type sniffed from content, size capped, re-encoded as JPEG with no metadata
at all (EXIF, XMP, IPTC, ICC profile, JPEG comments: any can hold a name, a phone, a place).

The location in the EXIF is read by the caller (locator.exif_location) from the original bytes
before this strips it; only the cleaned JPEG is ever stored or served.
"""

import io

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

__all__ = ["PhotoError", "clean_photo", "MAX_BYTES", "MAX_PIXELS", "MAX_SIDE"]

MAX_BYTES = 10 * 1024 * 1024  # upload cap
MAX_PIXELS = 20_000_000  # decompression-bomb cap
MAX_SIDE = 2048  # longest side of the stored JPEG
ALLOWED = {"JPEG", "PNG", "WEBP"}


class PhotoError(ValueError):
    """A photo that cannot be accepted; the message is shown to the resident as a field error."""


def clean_photo(data: bytes) -> bytes:
    """Validate an uploaded photo and return it re-encoded as JPEG (no EXIF, <= MAX_SIDE px)."""
    if len(data) > MAX_BYTES:
        raise PhotoError(_("Фото більше за %(mb)s МБ.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in ALLOWED:
                raise PhotoError(_("Приймаються лише фото JPEG, PNG або WebP."))
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(_("Фото більше за 20 мегапікселів."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            # Phones store portrait shots rotated with an Orientation tag: apply it before the
            # tag is dropped, or the stored photo would lie on its side.
            img = ImageOps.exif_transpose(img).convert("RGB")
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            # Pillow writes what ``info`` holds (the comment, XMP, ICC) back into a JPEG it
            # saves: copy the pixels alone into a new image, which has none of it.
            clean = Image.new("RGB", img.size)
            clean.paste(img)
            out = io.BytesIO()
            clean.save(out, "JPEG", quality=85)
            return out.getvalue()
    except PhotoError:
        raise
    except (OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PhotoError(_("Файл не є зображенням, яке можна прочитати.")) from exc
