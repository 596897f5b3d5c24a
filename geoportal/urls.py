"""URL map of the portal: web map, accounts, admin, the JavaScript translation catalogue, and
each app's API under its own prefix."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, resolve
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView

from geoportal.accounts.views import PortalLoginView
from geoportal.catalogue.csw import CatalogueView
from geoportal.reports.pages import photo_file
from layers.wfs import PortalWFSView


def ogc_landing(request):
    """/ogc without the slash serves the landing page (QGIS 3.22's OAPIF provider can't follow
    the relative redirect APPEND_SLASH would send: "Protocol "" is unknown")."""
    return resolve("/ogc/").func(request)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # gettext() for the pages' JavaScript: the project's djangojs catalogue (locale/), not admin's
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(
            packages=["geoportal.webmap", "geoportal.reports", "geoportal.conditions", "importers"]
        ),
        name="javascript-catalog",
    ),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("layers.urls")),
    path("api/v1/", include("geoportal.locator.urls")),
    path("api/v1/", include("geoportal.reports.urls")),
    path("api/v1/", include("geoportal.catalogue.urls")),
    path("api/v1/", include("geoportal.conditions.urls")),
    path("open311/v2/", include("geoportal.reports.open311_urls")),
    path("reports/", include("geoportal.reports.page_urls")),
    path("", include("geoportal.conditions.page_urls")),
    path("bot/", include("geoportal.bot.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="openapi-schema"),
    path("tiles/", include("tiles.urls")),
    path("wfs", PortalWFSView.as_view(), name="wfs"),
    path("csw", CatalogueView.as_view(), name="csw"),
    path("wms/tiles/", include("geoportal.wms.tile_urls")),
    path("wms", include("geoportal.wms.urls")),
    path("ogc", ogc_landing, name="ogc-landing-noslash"),
    path("ogc/", include("layers.ogcapi_urls")),
    path("", include("geoportal.ops.urls")),
    path("", include("importers.urls")),
    path("", include("geoportal.webmap.urls")),
]
# Report photos in every setting (not django.views.static, which serves only under DEBUG and
# checks nothing): the app checks access, then sends the file or an X-Accel-Redirect to nginx.
urlpatterns.append(path(settings.MEDIA_URL.lstrip("/") + "<path:name>", photo_file, name="media"))
