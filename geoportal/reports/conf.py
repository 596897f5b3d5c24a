"""Settings of problem reports (prefixed GEOPORTAL_REPORTS_...), each with a default.

Read at call time through this module (``conf.MAX_PHOTOS``), so tests can change them. The
portal's public base URL (e-mail links, Open311) is ``core.conf.PUBLIC_URL``.
"""

from core.conf import setting as _setting

# Photos per report.
MAX_PHOTOS = _setting("GEOPORTAL_REPORTS_MAX_PHOTOS", 5)
# New reports per IP address: bucket size and refill (reports a minute).
IP_BURST = _setting("GEOPORTAL_REPORTS_IP_BURST", 5)
IP_PER_MINUTE = _setting("GEOPORTAL_REPORTS_IP_PER_MINUTE", 0.5)
# New reports per signed-in account (and per Open311 key: one key serves many residents).
ACCOUNT_BURST = _setting("GEOPORTAL_REPORTS_ACCOUNT_BURST", 10)
ACCOUNT_PER_MINUTE = _setting("GEOPORTAL_REPORTS_ACCOUNT_PER_MINUTE", 1.0)
API_KEY_BURST = _setting("GEOPORTAL_REPORTS_API_KEY_BURST", 60)
API_KEY_PER_MINUTE = _setting("GEOPORTAL_REPORTS_API_KEY_PER_MINUTE", 30.0)
# Name of the hidden form field only robots fill in.
HONEYPOT_FIELD = _setting("GEOPORTAL_REPORTS_HONEYPOT_FIELD", "website")
# "Nearby" radius for the already-reported check (metres on the ground).
NEARBY_RADIUS_M = _setting("GEOPORTAL_REPORTS_NEARBY_RADIUS_M", 150)
# Most reports in one public GeoJSON answer.
MAX_PUBLIC_LIST = _setting("GEOPORTAL_REPORTS_MAX_PUBLIC_LIST", 2000)
# Days after a report is closed (its last change) until the reporter's personal data are
# erased by `manage.py purge_personal_data` (run it daily from cron).
RETENTION_DAYS = _setting("GEOPORTAL_REPORTS_RETENTION_DAYS", 365)
