"""Settings of the importers (prefixed GEOPORTAL_IMPORT_...), each with a default."""

from pathlib import Path

from django.conf import settings

from core.conf import setting as _setting

# Largest file accepted from an upload or a URL, in megabytes.
MAX_UPLOAD_MB = _setting("GEOPORTAL_IMPORT_MAX_UPLOAD_MB", 512)
# Largest total uncompressed size of a zip's members, in megabytes (zip bombs).
MAX_UNZIPPED_MB = _setting("GEOPORTAL_IMPORT_MAX_UNZIPPED_MB", 4096)
# Largest compression ratio of a zip member (real GIS data compresses 2-20x).
MAX_ZIP_RATIO = _setting("GEOPORTAL_IMPORT_MAX_ZIP_RATIO", 200)
# Where uploads wait for their import job (one folder per job, removed after it).
UPLOAD_DIR = Path(
    _setting("GEOPORTAL_IMPORT_UPLOAD_DIR", str(Path(settings.BASE_DIR) / "var" / "uploads"))
)
# How many earlier versions of a layer are kept for rollback.
KEEP_VERSIONS = _setting("GEOPORTAL_IMPORT_KEEP_VERSIONS", 5)
# Seconds between two passes of `import_watched` over a watched folder.
WATCH_INTERVAL = _setting("GEOPORTAL_IMPORT_WATCH_INTERVAL", 300)
# Features per batch of the streaming import (memory per batch vs per-batch overhead).
BATCH_SIZE = _setting("GEOPORTAL_IMPORT_BATCH_SIZE", 20_000)
# Longest text value of an attribute, in characters (a longer one refuses the import).
MAX_TEXT_CHARS = _setting("GEOPORTAL_IMPORT_MAX_TEXT_CHARS", 65_536)
