"""Settings of the operations app (prefixed GEOPORTAL_...), each with a default."""

from django.conf import settings

from core.conf import setting as _setting

__all__ = [
    "AGE_IDENTITY",
    "AGE_RECIPIENTS",
    "BACKUP_DIR",
    "KEEP_DAILY",
    "KEEP_WEEKLY",
    "READY_TIMEOUT_MS",
]


# Statement timeout of the readiness probe's query: a database slower than this is "not ready".
READY_TIMEOUT_MS = int(_setting("GEOPORTAL_READY_TIMEOUT_MS", 1000))
# Where `manage.py backup` writes its <timestamp>/ folders.
BACKUP_DIR = _setting("GEOPORTAL_BACKUP_DIR", str(settings.BASE_DIR / "var" / "backups"))
# age public keys (age1..., comma-separated) the backups are encrypted to; "" = not encrypted.
AGE_RECIPIENTS = [
    r.strip() for r in str(_setting("GEOPORTAL_BACKUP_AGE_RECIPIENTS", "")).split(",") if r.strip()
]
# The age identity (private key) file `restore` decrypts with; kept off the server normally.
AGE_IDENTITY = _setting("GEOPORTAL_BACKUP_AGE_IDENTITY", "")
# Rotation after each backup: the newest backup of each of the last N days and M ISO weeks.
KEEP_DAILY = int(_setting("GEOPORTAL_BACKUP_KEEP_DAILY", 7))
KEEP_WEEKLY = int(_setting("GEOPORTAL_BACKUP_KEEP_WEEKLY", 4))
