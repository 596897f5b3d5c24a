"""Settings of the operations app (prefixed GEOPORTAL_...), each with a default."""

from django.conf import settings

from geoportal.conf import setting as _setting

__all__ = ["BACKUP_DIR", "READY_TIMEOUT_MS", "RETRY_AFTER", "TRUSTED_PROXIES"]


# Seconds a client is told to wait (Retry-After) when the database is unavailable.
RETRY_AFTER = int(_setting("GEOPORTAL_RETRY_AFTER", 30))
# Statement timeout of the readiness probe's query: a database slower than this is "not ready".
READY_TIMEOUT_MS = int(_setting("GEOPORTAL_READY_TIMEOUT_MS", 1000))
# Where `manage.py backup` writes its <timestamp>/ folders.
BACKUP_DIR = _setting("GEOPORTAL_BACKUP_DIR", str(settings.BASE_DIR / "var" / "backups"))
# Reverse proxies (IPs or CIDRs, JSON list in the environment) whose X-Forwarded-For is believed
# when they are the direct peer; [] trusts nobody and the client is REMOTE_ADDR (ops/clientip.py).
TRUSTED_PROXIES = _setting("GEOPORTAL_TRUSTED_PROXIES", [])
if isinstance(TRUSTED_PROXIES, str):  # "10.0.0.1, 172.16.0.0/12" in settings.py is meant as a list
    TRUSTED_PROXIES = [x.strip() for x in TRUSTED_PROXIES.split(",") if x.strip()]
