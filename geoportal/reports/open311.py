"""Open311 GeoReport v2 documents: services, service definitions, service requests and the
spec's errors, as Python structures rendered to JSON or XML (lxml).

Categories are services (service_code = Category.code); their extra questions are the service
definition's attributes. Requests carry public fields only (``public.PUBLIC_FIELDS``).
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from lxml import etree

from core.encoding import xml_text
from core.errors import PortalError, register_renderer

from .models import OPEN_STATUSES, Category, Photo, ReportUpdate, Status
from .public import by_status, public_reports, shows_content

__all__ = ["Open311Error", "is_request_id", "services", "service_definition", "requests_list",
           "render", "render_error"]  # fmt: skip

MAX_REQUESTS = 1000  # the spec's default cap
DEFAULT_DAYS = 90  # the spec's default window without dates


class Open311Error(PortalError):
    """An error the spec words as a list of messages (rendered by ``render_error``)."""

    code = "open311"

    def __init__(self, status: int, messages: list[str]):
        super().__init__("; ".join(messages), status=status, messages=messages)


def services() -> list[dict]:
    return [
        {
            "service_code": c.code,
            "service_name": c.title_uk,
            "description": c.description_uk or c.title_en or None,
            "metadata": bool(c.questions),
            "type": "realtime",
            "keywords": c.title_en or None,
            "group": c.group or None,
        }
        for c in Category.objects.filter(is_active=True)
    ]


DATATYPES = {"text": "string", "choice": "singlevaluelist", "bool": "singlevaluelist"}


def service_definition(code: str) -> dict:
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, [_("Невідомий service_code: %(c)s") % {"c": code}])
    attributes = []
    for order, q in enumerate(category.questions, 1):
        kind = q.get("type", "text")
        attr = {
            "variable": True,
            "code": q["name"],
            "datatype": DATATYPES.get(kind, "string"),
            "required": bool(q.get("required")),
            "datatype_description": None,
            "order": order,
            "description": q.get("label_uk") or q["name"],
        }
        if kind == "choice":
            attr["values"] = [{"key": v, "name": v} for v in q.get("choices", [])]
        elif kind == "bool":
            attr["values"] = [{"key": "true", "name": "так"}, {"key": "false", "name": "ні"}]
        attributes.append(attr)
    return {"service_code": category.code, "attributes": attributes}


def is_request_id(text: str) -> bool:
    """A service_request_id this portal can have: ASCII digits within a bigint."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def _split(value):
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _moment(value: str, name: str):
    try:  # a well-formed but impossible date ("2026-02-30") is a ValueError
        moment = parse_datetime(value)
        if moment is None and parse_date(value) is not None:
            moment = parse_datetime(value + "T00:00:00")
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, [_("%(n)s: дата й час у форматі ISO 8601.") % {"n": name}])
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def requests_list(params, base_url: str) -> list[dict]:
    """Service requests matching the spec's filters (public fields only)."""
    ids = _split(params.get("service_request_id"))
    if ids:  # asked for by number: a rejected one too, without its text and photo
        if not all(is_request_id(i) for i in ids):
            raise Open311Error(400, [_("service_request_id: номери через кому.")])
        return _with_extras(public_reports(with_rejected=True).filter(pk__in=ids), base_url)
    rows = public_reports()
    codes = _split(params.get("service_code"))
    if codes:
        rows = rows.filter(category__code__in=codes)
    statuses = _split(params.get("status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, [_("status: open або closed.")])
    if len(set(statuses)) == 1:  # both open and closed: no filter
        rows = by_status(rows, statuses[0])
    start = params.get("start_date")
    end = params.get("end_date")
    start = _moment(start, "start_date") if start else None
    end = _moment(end, "end_date") if end else None
    if start and end and start > end:
        raise Open311Error(400, [_("start_date пізніше за end_date.")])
    if not start and not end:
        start = timezone.now() - timedelta(days=DEFAULT_DAYS)
    if start:
        rows = rows.filter(created_at__gte=start)
    if end:
        rows = rows.filter(created_at__lte=end)
    return _with_extras(rows[:MAX_REQUESTS], base_url)


def _with_extras(rows, base_url: str) -> list[dict]:
    """Request dicts of ``rows`` with their last status note and first photo (2 queries)."""
    rows = list(rows)
    ids = [r["id"] for r in rows]
    notes = dict(
        ReportUpdate.objects.filter(report_id__in=ids).exclude(status="")
        .order_by("report_id", "-created_at", "-pk").distinct("report_id")
        .values_list("report_id", "note")
    )  # fmt: skip
    photos = {
        p.report_id: p
        for p in Photo.objects.filter(report_id__in=ids, hidden=False)
        .order_by("report_id", "pk").distinct("report_id")
    }  # fmt: skip
    return [request_dict(r, base_url, notes.get(r["id"]), photos.get(r["id"])) for r in rows]


def request_dict(row: dict, base_url: str, note=None, photo=None) -> dict:
    return {
        "service_request_id": str(row["id"]),
        "status": "open" if row["status"] in OPEN_STATUSES else "closed",
        "status_notes": note or None,
        "service_name": row["category__title_uk"],
        "service_code": row["category__code"],
        "description": (row["description"] or None) if shows_content(row) else None,
        "agency_responsible": row["department__name_uk"],
        "service_notice": None,
        "requested_datetime": row["created_at"].isoformat(),
        "updated_datetime": row["updated_at"].isoformat(),
        "expected_datetime": row["deadline"].isoformat() if row["deadline"] else None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": round(row["lat"], 7),
        "long": round(row["lon"], 7),
        "media_url": base_url + photo.image.url
        if photo and row["status"] != Status.REJECTED
        else None,
    }


# -- rendering -------------------------------------------------------------------------------

XML_NAMES = {  # root element, item element, nested list items
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_text(str(value))  # text stored before intake refused control characters


def _xml_item(parent, name: str, item: dict):
    el = etree.SubElement(parent, name)
    for key, value in item.items():
        if isinstance(value, list):
            holder = etree.SubElement(el, key)
            child = {"attributes": "attribute", "values": "value"}.get(key, key.rstrip("s"))
            for sub in value:
                _xml_item(holder, child, sub)
        else:
            etree.SubElement(el, key).text = _text(value)
    return el


def render(doc, fmt: str, kind: str, status: int = 200) -> HttpResponse:
    """``doc``: a list (services, requests, errors) or the service definition dict."""
    if fmt == "xml":
        if kind == "definition":
            root = etree.Element("service_definition")
            etree.SubElement(root, "service_code").text = doc["service_code"]
            attrs = etree.SubElement(root, "attributes")
            for a in doc["attributes"]:
                _xml_item(attrs, "attribute", a)
        else:
            root_name, item_name = XML_NAMES[kind]
            root = etree.Element(root_name)
            for item in doc:
                _xml_item(root, item_name, item)
        body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return HttpResponse(json.dumps(doc, ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")  # fmt: skip


def render_error(exc: PortalError, request) -> HttpResponse:
    """core.errors' renderer "open311": the spec's error document [{code, description}] with
    the HTTP status, in the format of the request's path suffix; field errors one a line."""
    messages = exc.extra.get("messages")
    if not messages:
        errors = exc.extra.get("errors") or {}
        messages = [f"{field}: {m}" for field, ms in errors.items() for m in ms] or [exc.detail]
    match = getattr(request, "resolver_match", None)
    fmt = match.kwargs.get("fmt", "json") if match else "json"
    doc = [{"code": exc.status, "description": m} for m in messages]
    return render(doc, fmt if fmt in ("json", "xml") else "json", "errors", exc.status)


register_renderer("open311", render_error)
