"""Import errors: each names the file, row or element at fault and maps to HTTP 400; and
GDAL's messages reworded for the people who read them."""

import re

from core.errors import PortalError

__all__ = ["ImportFailed", "gdal_message"]


class ImportFailed(PortalError):
    status = 400
    code = "import-failed"


# GDAL's advice on forcing a driver is for GDAL's own command line, not for our users; its
# messages may start with the C++ source file and line; they name files by server paths.
_GDAL_HINT = re.compile(r"[;.]?\s*It might help to specify the correct driver.*$", re.DOTALL)
_SOURCE_LINE = re.compile(r"\S+\.(?:cpp|c|h), \d+: ")
_PATH = re.compile(r"'?(?:/vsi\w+)?/(?:[^\s'/:,]+/)+[^\s'/:,]+'?")


def gdal_message(exc: Exception) -> str:
    """The first line of GDAL's message in ``exc`` in the user's terms: no server paths (the
    caller names the file by its label), no source locations, no command-line advice."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = _PATH.sub("the file", _SOURCE_LINE.sub("", text))
    text = _GDAL_HINT.sub("", text).strip(" ;.:")
    return text or "GDAL cannot read it"
