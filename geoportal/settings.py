"""Django settings for the Hromada Geoportal, read from the environment with safe defaults.

DATABASE_URL selects a PostGIS server; without it the embedded cluster in .pg/ is used
(see devtools.pgcluster). Everything a municipality tunes lives in core.conf and the apps' conf.py modules.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


DEBUG = env_bool("GEOPORTAL_DEBUG", False)
SECRET_KEY = os.environ.get("GEOPORTAL_SECRET_KEY") or (
    "dev-only-insecure-key-set-GEOPORTAL_SECRET_KEY-in-production"
)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("GEOPORTAL_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("GEOPORTAL_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "gisserver",
    "geoportal.accounts",
    "geoportal.webmap",
    "layers",
    "importers",
    "tiles",
    "geoportal.locator",
    "geoportal.ops",
    "geoportal.reports",
    "geoportal.catalogue",
    "geoportal.wms",
]

MIDDLEWARE = [
    "geoportal.ops.middleware.RequestLogMiddleware",  # outermost: times and logs everything
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "geoportal.accounts.middleware.TokenAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.errors.ErrorMiddleware",  # innermost: PortalError and database errors
]

ROOT_URLCONF = "geoportal.urls"
WSGI_APPLICATION = "geoportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "geoportal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# -- Database ------------------------------------------------------------------------------
# Persistent connections: a new PostgreSQL backend costs 10-20 ms before the first query.
CONN_MAX_AGE = int(os.environ.get("GEOPORTAL_CONN_MAX_AGE", "600"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=CONN_MAX_AGE)
    }
    DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
else:
    from devtools.pgcluster import default_cluster

    _dsn = default_cluster().dsn()
    DATABASES = {
        "default": {
            "ENGINE": "django.contrib.gis.db.backends.postgis",
            "NAME": _dsn["dbname"],
            "USER": _dsn["user"],
            "HOST": _dsn["host"],
            "PORT": str(_dsn["port"]),
            "CONN_MAX_AGE": CONN_MAX_AGE,
        }
    }
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An unreachable server fails fast (503 + Retry-After), not after the kernel's TCP timeout.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", int(os.environ.get("GEOPORTAL_DB_CONNECT_TIMEOUT", "5"))
)
DATABASES["default"].setdefault("TEST", {})
DATABASES["default"]["TEST"]["NAME"] = os.environ.get("GEOPORTAL_TEST_DB", "test_geoportal")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# -- Language: Ukrainian by default, English available ------------------------------------
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Українська")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("GEOPORTAL_TIME_ZONE", "Europe/Kyiv")
USE_I18N = True
USE_TZ = True

# -- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("GEOPORTAL_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "geoportal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GEOPORTAL_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
WHITENOISE_USE_FINDERS = True  # serve straight from the app folders without collectstatic in dev
WHITENOISE_AUTOREFRESH = DEBUG

# -- APIs -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a bad token is a 401 with WWW-Authenticate, not a 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hromada Geoportal API",
    "DESCRIPTION": "Layers, features and search of the municipal geoportal.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

EMAIL_BACKEND = os.environ.get(
    "GEOPORTAL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("GEOPORTAL_FROM_EMAIL", "geoportal@localhost")

# JSON lines in production (one object per record, with the request id), text in development.
LOG_FORMAT = os.environ.get("GEOPORTAL_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "geoportal.ops.logs.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "geoportal.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GEOPORTAL_LOG_LEVEL", "WARNING")},
    "loggers": {
        # one record per request (geoportal.ops.middleware); WARNING silences it
        "geoportal.access": {"level": os.environ.get("GEOPORTAL_ACCESS_LOG_LEVEL", "INFO")},
    },
}

# GDAL/GEOS from the system (Debian's libgdal), found by GeoDjango itself.
if os.environ.get("GDAL_LIBRARY_PATH"):
    GDAL_LIBRARY_PATH = os.environ["GDAL_LIBRARY_PATH"]

# GDAL 3.6 (Debian 12) cannot block network access in spatial references; uploaded files are
# read through pyogrio with GDAL_HTTP disabled for them (importers), not through GeoDjango.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
