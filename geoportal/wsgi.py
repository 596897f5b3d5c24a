"""WSGI entry point (gunicorn geoportal.wsgi): Django, behind the public-tile fast path."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
django_application = get_wsgi_application()

from tiles.fastpath import PublicTileFastPath  # noqa: E402 -- needs the settings configured

application = PublicTileFastPath(django_application)
