"""Settings of the operations app (prefixed GEOPORTAL_...), each with a default."""

from django.conf import settings

from core.conf import setting as _setting

__all__ = ["BACKUP_DIR", "READY_TIMEOUT_MS"]


# Statement timeout of the readiness probe's query: a database slower than this is "not ready".
READY_TIMEOUT_MS = int(_setting("GEOPORTAL_READY_TIMEOUT_MS", 1000))
# Where `manage.py backup` writes its <timestamp>/ folders.
BACKUP_DIR = _setting("GEOPORTAL_BACKUP_DIR", str(settings.BASE_DIR / "var" / "backups"))
