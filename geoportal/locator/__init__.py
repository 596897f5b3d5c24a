"""The landmark locator: turns what a resident can see and type (pole and manhole numbers,
stop names, streets, house numbers, relations) plus a phone's fix into coordinates.

Public surface: ``locate(...)`` (geoportal.locator.resolve) and ``exif_location(bytes)``.
"""

__all__ = ["exif_location", "locate"]


def locate(*args, **kwargs):
    from .resolve import locate as _locate

    return _locate(*args, **kwargs)


def exif_location(image_bytes: bytes):
    from .exif import exif_location as _exif_location

    return _exif_location(image_bytes)
