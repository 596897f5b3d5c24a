"""The catalogue service at /csw: pycsw 3 embedded as a library (CSW 2.0.2 and 3.0, ISO 19139
via its ISO Application Profile, Dublin Core) over ``PortalRepository``. The pycsw
configuration is built per request from the one service configuration (core.service) and the
caller's visible layers."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from pycsw import server

from core.conf import HROMADA
from core.service import SERVICE
from layers.access import visible_layers

from . import conf

__all__ = ["CatalogueView", "pycsw_config"]

MAX_BODY = 1_000_000  # bytes of a POST request


def pycsw_config(url: str, layer_ids) -> dict:
    minx, miny, maxx, maxy = HROMADA["extent"]
    return {
        "server": {
            "url": url,
            "mimetype": "application/xml; charset=UTF-8",
            "encoding": "UTF-8",
            "language": "en",  # pycsw knows no "uk" (it picks the full-text configuration)
            "maxrecords": conf.MAX_RECORDS,
            "pretty_print": False,
            "domainquerytype": "list",
        },
        "profiles": ["apiso"],
        "logging": {"level": "ERROR"},
        "manager": {"transactions": False, "allowed_ips": []},
        "metadata": {
            "identification": {
                "title": f"{HROMADA['name_uk']}: каталог геопросторових даних (CSW)",
                "description": "Сервіс пошуку метаданих геопорталу громади "
                "(Порядок № 532, п. 73): за організацією, ключовими словами, статусом.",
                "keywords": SERVICE["keywords_uk"] + SERVICE["keywords_en"] + ["CSW"],
                "keywords_type": "theme",
                "fees": SERVICE["fees"],
                "accessconstraints": SERVICE["access_constraints_uk"],
                "terms_of_service": "",
                "url": url,
            },
            "provider": {"name": SERVICE["provider_uk"], "url": SERVICE["provider_url"] or url},
            "contact": {
                "name": SERVICE["contact_name"] or SERVICE["provider_uk"],
                "position": SERVICE["contact_position_uk"],
                "address": "",
                "city": SERVICE["city_uk"],
                "stateorprovince": "",
                "postalcode": "",
                "country": SERVICE["country"],
                "phone": SERVICE["contact_phone"],
                "fax": "",
                "email": SERVICE["contact_email"],
                "url": SERVICE["provider_url"] or url,
                "hours": "",
                "instructions": "",
                "role": "pointOfContact",
            },
            "inspire": {"enabled": False},
        },
        "repository": {
            "source": "geoportal.catalogue.repository.PortalRepository",
            "visible_layers": list(layer_ids),
        },
        "bbox": [minx, miny, maxx, maxy],
    }


@method_decorator(csrf_exempt, name="dispatch")
class CatalogueView(View):
    """CSW 2.0.2 and 3.0 (KVP GET and XML POST). pycsw writes its own OWS exception reports."""

    error_format = "ows"
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD", "POST"):
            return self.csw(request)
        return super().dispatch(request, *args, **kwargs)

    def csw(self, request):
        body = request.body[:MAX_BODY] if request.method == "POST" else b""
        env = {
            key: value
            for key, value in request.META.items()
            if isinstance(value, str) and key.isupper()
        }
        env.update(
            {
                "REQUEST_METHOD": "POST" if request.method == "POST" else "GET",
                "QUERY_STRING": request.META.get("QUERY_STRING", ""),
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
                "wsgi.url_scheme": request.scheme,
            }
        )
        url = request.build_absolute_uri(request.path)
        ids = visible_layers(request.user).values_list("pk", flat=True)
        version = "3.0.0"
        query = {k.lower(): v for k, v in request.GET.items()}
        if query.get("version") == "2.0.2" or b'version="2.0.2"' in body[:2000]:
            version = "2.0.2"
        elif "acceptversions" in query and "3.0.0" not in query["acceptversions"]:
            version = "2.0.2"
        csw = server.Csw(pycsw_config(url, ids), env, version=version)
        status, content = csw.dispatch_wsgi()
        code = int(str(status).split()[0]) if str(status)[:3].isdigit() else 200
        return HttpResponse(content, status=code, content_type=csw.contenttype)
