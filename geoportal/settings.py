"""Django settings for the Hromada Geoportal, read from the environment with safe defaults.

DATABASE_URL selects a PostGIS server; without it the embedded cluster in .pg/ is used
(see devtools.pgcluster). Everything a municipality tunes lives in core.conf and the apps' conf.py modules.
"""

import os
import sys
from datetime import timedelta
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
# GEOPORTAL_DEBUG=0 (the default) is production: HTTPS only. A plain-HTTP intranet, the demo on
# loopback and the test servers say so explicitly with GEOPORTAL_ALLOW_HTTP=1.
ALLOW_HTTP = env_bool("GEOPORTAL_ALLOW_HTTP", DEBUG)
DEV_SECRET_KEY = "dev-only-insecure-key-set-GEOPORTAL_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("GEOPORTAL_SECRET_KEY") or (DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY in ("", DEV_SECRET_KEY):
    # One line and exit status 1 (manage.py, gunicorn), not a traceback from deep in Django.
    sys.exit(
        "error: GEOPORTAL_SECRET_KEY is not set: a production portal (GEOPORTAL_DEBUG=0) needs a long "
        "random secret, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("GEOPORTAL_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("GEOPORTAL_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]


# -- HTTPS and browser security headers ----------------------------------------------------
# nginx terminates TLS and always sets X-Forwarded-Proto (deploy/nginx/geoportal.conf), so the
# header is believed; TileJSON, WFS and Open311 links then come out as https://.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not ALLOW_HTTP
SESSION_COOKIE_SECURE = not ALLOW_HTTP
CSRF_COOKIE_SECURE = not ALLOW_HTTP
SECURE_HSTS_SECONDS = 0 if ALLOW_HTTP else int(os.environ.get("GEOPORTAL_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GEOPORTAL_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("GEOPORTAL_HSTS_PRELOAD", True)
# The health probes are asked over plain HTTP inside the container network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Geolocation is asked by the report form ("here I am"); nothing else is used.
PERMISSIONS_POLICY = os.environ.get(
    "GEOPORTAL_PERMISSIONS_POLICY",
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()",
)
# Content-Security-Policy (django-csp): no inline script, no eval, nothing from other origins
# but the base map's tiles. Report-only while inline scripts remain in the templates; one
# setting (GEOPORTAL_CSP_ENFORCE=1) makes it enforcing.
CSP_ENFORCE = env_bool("GEOPORTAL_CSP_ENFORCE", False)
_CSP_IMG = ["'self'", "data:", "blob:"] + [
    u.strip() for u in os.environ.get("GEOPORTAL_CSP_IMG_SRC", "https:").split(",") if u.strip()
]
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # Leaflet sets style attributes
        "img-src": _CSP_IMG,
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if CSP_ENFORCE:
    CONTENT_SECURITY_POLICY = _CSP
else:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP

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
    "axes",
    "core",
    "gisserver",
    "geoportal.accounts",
    "geoportal.webmap",
    "layers",
    "importers",
    "tiles",
    "geoportal.locator",
    "geoportal.ops",
    "csp",
    "geoportal.reports",
    "geoportal.conditions",
    "geoportal.bot",
    "geoportal.catalogue",
    "geoportal.wms",
]

MIDDLEWARE = [
    "geoportal.ops.middleware.RequestLogMiddleware",  # outermost: times and logs everything
    "geoportal.ops.middleware.JSONGZipMiddleware",  # compresses what every inner one wrote
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "geoportal.ops.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "axes.middleware.AxesMiddleware",  # a locked-out login form: the page with the message
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
                "geoportal.reports.privacy.notice_context",
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
# A streaming replica for reads (core/dbrouter.py): off unless GEOPORTAL_REPLICA_URL is set.
if os.environ.get("GEOPORTAL_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["GEOPORTAL_REPLICA_URL"], conn_max_age=CONN_MAX_AGE
    )
    DATABASES["replica"].update(
        ENGINE="django.contrib.gis.db.backends.postgis", CONN_HEALTH_CHECKS=True
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("GEOPORTAL_REPLICA_CONNECT_TIMEOUT", "1"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures of one username from one
# IP (login forms and HTTP basic auth alike) that pair is locked out for the cool-off, which
# every attempt during it starts anew. docs/security.md, "Rate limits and lockout".
AUTHENTICATION_BACKENDS = [
    "geoportal.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("GEOPORTAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=float(os.environ.get("GEOPORTAL_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a successful form login forgets the earlier failures
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"  # the proxy-aware address rate limits use
AXES_LOCKOUT_CALLABLE = "geoportal.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # failures and lockouts are AccessAttempt rows (admin), not log lines
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
# Hashed names (app.0123456789ab.js, cached for a year by nginx) from `collectstatic`'s manifest:
# production (the image build runs it, as does `make demo`). Development and the tests, which do
# not collect, set GEOPORTAL_HASHED_STATIC=0.
HASHED_STATIC = env_bool("GEOPORTAL_HASHED_STATIC", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "geoportal.ops.staticstorage.HashedStaticStorage"
        if HASHED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
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

# E-mail: SMTP when GEOPORTAL_EMAIL_HOST is set, else the console (development: messages go to
# the log, nothing is sent). Links in messages are absolute, from GEOPORTAL_PUBLIC_URL.
EMAIL_HOST = os.environ.get("GEOPORTAL_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "GEOPORTAL_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("GEOPORTAL_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("GEOPORTAL_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GEOPORTAL_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GEOPORTAL_EMAIL_USE_TLS", EMAIL_PORT == 587)  # STARTTLS
EMAIL_USE_SSL = env_bool("GEOPORTAL_EMAIL_USE_SSL", EMAIL_PORT == 465)  # TLS from the start
EMAIL_TIMEOUT = int(os.environ.get("GEOPORTAL_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("GEOPORTAL_FROM_EMAIL", "geoportal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

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
