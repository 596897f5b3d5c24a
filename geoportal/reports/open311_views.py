"""Open311 GeoReport v2 endpoints at /open311/v2/. Thin: parse the request, call open311 /
intake, render JSON or XML; every error is the spec's [{code, description}] document."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core import conf as portal_conf
from core.clientip import client_ip
from core.errors import error_format

from . import intake, open311, open311_openapi
from .models import ApiKey

__all__ = ["openapi", "services", "service_definition", "requests", "request_detail"]


def _base(request) -> str:
    return portal_conf.PUBLIC_URL or f"{request.scheme}://{request.get_host()}"


# Every error of these views is the spec's [{code, description}] (open311.render_error).
spec_errors = error_format("open311")


@require_http_methods(["GET"])
def openapi(request):
    return JsonResponse(open311_openapi.document())


@require_http_methods(["GET"])
@spec_errors
def services(request, fmt):
    return open311.render(open311.services(), fmt, "services")


@require_http_methods(["GET"])
@spec_errors
def service_definition(request, code, fmt):
    return open311.render(open311.service_definition(code), fmt, "definition")


@csrf_exempt  # an api_key authenticates the client; no session cookie is read
@require_http_methods(["GET", "POST"])
@spec_errors
def requests(request, fmt):
    if request.method == "GET":
        return open311.render(open311.requests_list(request.GET, _base(request)), fmt, "requests")
    return _create(request, fmt)


def _create(request, fmt):
    key = (request.POST.get("api_key") or "").strip()
    api_key = ApiKey.objects.filter(key=key, is_active=True).first() if key else None
    if api_key is None:
        raise open311.Open311Error(403, [_("api_key відсутній або недійсний.")])
    p = request.POST
    data = {
        "category": p.get("service_code"),
        "lat": p.get("lat"),
        "lon": p.get("long"),
        "located_by": "pin",
        "location_text": p.get("address_string") or "",
        "description": p.get("description") or "",
        "email": p.get("email") or "",
        "phone": p.get("phone") or "",
        "name": " ".join(x for x in (p.get("first_name"), p.get("last_name")) if x),
        "answers": {
            k[10:-1]: v for k, v in p.items() if k.startswith("attribute[") and k[-1] == "]"
        },
    }
    if not p.get("service_code"):
        raise open311.Open311Error(400, [_("service_code: обов'язковий параметр.")])
    files = request.FILES.getlist("media")
    report = intake.submit(data, files, ip=client_ip(request), api_key=api_key,
                           source=f"open311:{api_key.name}"[:20])  # fmt: skip
    doc = [{"service_request_id": str(report.pk), "service_notice": None, "account_id": None}]
    return open311.render(doc, fmt, "requests")


@require_http_methods(["GET"])
@spec_errors
def request_detail(request, pk, fmt):
    found = None
    if open311.is_request_id(pk):
        found = open311.requests_list({"service_request_id": pk}, _base(request))
    if not found:
        raise open311.Open311Error(404, [_("Немає запиту %(id)s.") % {"id": pk}])
    return open311.render(found, fmt, "requests")
