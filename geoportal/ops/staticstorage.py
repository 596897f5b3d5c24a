"""The static files storage of production: whitenoise's compressed manifest storage (hashed
names, gzip and brotli beside), rewriting the URLs in CSS but not the sourceMappingURL comments
of JavaScript: the vendored libraries name source maps they do not ship (leaflet.js.map), and
Django's storage refuses to collect a file whose reference it cannot resolve."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

__all__ = ["HashedStaticStorage"]


class HashedStaticStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(p for p in ManifestStaticFilesStorage.patterns if p[0] != "*.js")
