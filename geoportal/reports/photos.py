"""Report photos: cleaned on the way in, served on the way out after an access check.

In: type sniffed from content, size capped, re-encoded as JPEG with no metadata at all (EXIF,
XMP, IPTC, ICC profile, JPEG comments: any can hold a name, a phone, a place). The location in
the EXIF is read by the caller (locator.exif_location) from the original bytes before this
strips it; only the cleaned JPEG is ever stored or served (the resident's file is never kept).

Out: ``/media/<name>`` (the stored JPEG) and ``/media/_thumb/<name>`` (a thumbnail for lists,
made with Pillow on first request) answer only for a stored photo's exact name: everyone sees
a photo moderation allows (not hidden, report not rejected), staff see every photo; anything
else is 404 (an unknown name, a traversal attempt and a hidden photo look the same). The bytes
go out by the app itself, or by nginx when GEOPORTAL_MEDIA_ACCEL_REDIRECT names its internal
location (X-Accel-Redirect after the check).
"""

import io
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from core.conf import setting
from core.errors import NotFound

from .models import Photo, Status

__all__ = ["PhotoError", "clean_photo", "MAX_BYTES", "MAX_PIXELS", "MAX_SIDE", "THUMB_SIDE",
           "photo_url", "thumb_url", "thumb_of", "is_public", "photo_response", "remove_thumbnail"]  # fmt: skip

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


# -- serving --------------------------------------------------------------------------------

THUMB_SIDE = 480  # longest side of a list thumbnail (2x a 240 px slot on a phone)
THUMB_PREFIX = "_thumb/"
# Never a stored name (the storage makes none like these): refused before the database is asked.
BAD_NAME = re.compile(r"(^[/_])|(\.\.)|[\\\x00-\x1f\x7f]")


def photo_url(photo: Photo) -> str:
    return photo.image.url


def thumb_url(photo: Photo) -> str:
    return photo.image.storage.url(THUMB_PREFIX + photo.image.name)


def thumb_of(url: str) -> str:
    """The thumbnail's URL for a stored photo's URL (as the public JSON lists them)."""
    from django.conf import settings

    return settings.MEDIA_URL + THUMB_PREFIX + url.removeprefix(settings.MEDIA_URL)


def is_public(photo: Photo) -> bool:
    """Whether moderation lets everyone see ``photo``: not hidden, its report not rejected
    (as ``public.report_dict`` and Open311 decide)."""
    return not photo.hidden and photo.report.status != Status.REJECTED


def _find(name: str) -> tuple[Photo, bool]:
    thumb = name.startswith(THUMB_PREFIX)
    stored = name.removeprefix(THUMB_PREFIX)
    if len(stored) > 255 or BAD_NAME.search(stored):
        raise NotFound(_("Фото не знайдено."), code="photo-not-found")
    photo = Photo.objects.select_related("report").filter(image=stored).first()
    if photo is None:
        raise NotFound(_("Фото не знайдено."), code="photo-not-found")
    return photo, thumb


def _make_thumbnail(photo: Photo, target: Path) -> None:
    with Image.open(photo.image.path) as img:
        img = img.convert("RGB")
        img.thumbnail((THUMB_SIDE, THUMB_SIDE))
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed: a second request never reads half a file.
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(fd, "wb") as out:
            img.save(out, "JPEG", quality=80)
        os.replace(tmp, target)


def photo_response(request, name: str) -> HttpResponse:
    """The photo stored as ``name`` (or its thumbnail) for ``request.user``, or NotFound."""
    photo, thumb = _find(name)
    staff = request.user.is_authenticated and request.user.is_staff
    public = is_public(photo)
    if not (public or staff):
        raise NotFound(_("Фото не знайдено."), code="photo-not-found")
    relative = (THUMB_PREFIX if thumb else "") + photo.image.name
    path = Path(photo.image.storage.path(relative))
    try:
        if thumb and not path.exists():
            _make_thumbnail(photo, path)
        accel = setting("GEOPORTAL_MEDIA_ACCEL_REDIRECT", "")
        if accel:
            if not path.exists():
                raise FileNotFoundError(relative)
            response = HttpResponse(content_type="image/jpeg")
            response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(relative)
        else:
            response = FileResponse(open(path, "rb"), content_type="image/jpeg")
    except (FileNotFoundError, OSError) as exc:
        raise NotFound(_("Файл фото відсутній."), code="photo-file-missing") from exc
    # Hidden later by a moderator: shared caches keep a public photo 5 minutes at most.
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


@receiver(post_delete, sender=Photo)
def remove_thumbnail(sender, instance: Photo, **kwargs) -> None:
    """Delete ``photo``'s thumbnail file, if one was made (the photo's own file goes with
    privacy.remove_photo_file)."""
    if instance.image:
        try:
            thumb = instance.image.storage.path(THUMB_PREFIX + instance.image.name)
            Path(thumb).unlink(missing_ok=True)
        except (OSError, ValueError):
            pass
