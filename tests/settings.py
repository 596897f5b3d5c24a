"""Settings of a test run: the portal's own settings, explicitly on plain HTTP (the test servers
listen on loopback without TLS) with unhashed static files (nothing is collected) and a
throwaway secret key, and every folder the portal writes (media, rasters, tile cache, static, uploads, backups, demo credentials) in a temporary folder,
never in the checkout's var/ (a deployment's data). Set here, before geoportal.settings is read,
so the subprocesses the tests start (gunicorn, manage.py) inherit the same environment."""

import os
import secrets
import tempfile
from pathlib import Path

if "GEOPORTAL_TEST_TMP" not in os.environ:
    # The test run itself (not a server or command it starts, which keeps the environment the
    # test gave it): every folder forced into one temporary folder, whatever the shell said.
    _TMP = Path(tempfile.mkdtemp(prefix="geoportal-test-"))
    os.environ["GEOPORTAL_TEST_TMP"] = str(_TMP)
    for _name, _sub in {
        "GEOPORTAL_RASTER_DIR": "rasters",
        "GEOPORTAL_TILE_CACHE_DIR": "tiles",
        "GEOPORTAL_MEDIA_ROOT": "media",
        "GEOPORTAL_STATIC_ROOT": "static",
        "GEOPORTAL_IMPORT_UPLOAD_DIR": "uploads",
        "GEOPORTAL_BACKUP_DIR": "backups",
        "GEOPORTAL_DEMO_CREDENTIALS": "demo-credentials.txt",
    }.items():
        os.environ[_name] = str(_TMP / _sub)
os.environ.setdefault("GEOPORTAL_ALLOW_HTTP", "1")
os.environ.setdefault("GEOPORTAL_HASHED_STATIC", "0")  # no collectstatic in a test run
os.environ.setdefault("GEOPORTAL_SECRET_KEY", "test-" + secrets.token_urlsafe(40))

from geoportal.settings import *  # noqa: E402, F403
