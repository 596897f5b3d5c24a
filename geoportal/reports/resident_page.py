"""The resident's "report a problem" page (/reports/new/): the form that
``reports/static/reports/report.js`` drives, with the active categories and their extra
questions in the page's language. Nothing is posted to this page: the script talks to the
report API (POST /api/v1/reports, nearby, confirm, subscribe) and the locator (POST /api/v1/locate).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core import conf as portal_conf
from geoportal.locator import conf as locator_conf
from geoportal.webmap.views import layer_roles

from . import conf, photos
from .models import Category

__all__ = ["new_report"]


def _question(q: dict, en: bool) -> dict:
    return {
        "name": q["name"],
        "label": (q.get("label_en") if en else None) or q.get("label_uk") or q["name"],
        "type": q.get("type", "text"),
        "choices": q.get("choices", []),
        "required": bool(q.get("required")),
    }


def form_categories(language: str) -> list[dict]:
    """Active categories as the form renders them: code, title and questions."""
    en = language == "en"
    return [
        {
            "code": c.code,
            "title": (c.title_en if en else "") or c.title_uk,
            "questions": [_question(q, en) for q in c.questions],
        }
        for c in Category.objects.filter(is_active=True)
    ]


@require_GET
def new_report(request):
    language = get_language() or "uk"
    categories = form_categories(language)
    config = {
        "language": language,
        "center": portal_conf.HROMADA["center"],
        "zoom": portal_conf.HROMADA.get("zoom", 14),
        "extent": portal_conf.HROMADA["extent"],
        "categories": categories,
        "layersUrl": "/api/v1/layers/",
        "roles": layer_roles(),  # the basemap's look by layer role
        "locateUrl": "/api/v1/locate",
        "reportsUrl": "/api/v1/reports",
        "nearbyUrl": "/api/v1/reports/nearby",
        "confirmUrl": "/api/v1/reports/{id}/confirm",
        "subscribeUrl": "/api/v1/reports/{id}/subscribe",
        "mapUrl": "/",
        "maxPhotos": conf.MAX_PHOTOS,
        "maxPhotoBytes": photos.MAX_BYTES,
        "honeypot": conf.HONEYPOT_FIELD,
        "confident": locator_conf.CONFIDENT,  # the locator's own threshold of a sure answer
    }
    hromada = portal_conf.HROMADA["name_en" if language == "en" else "name_uk"]
    return render(request, "reports/new.html",
                  {"config": config, "categories": categories, "hromada": hromada,
                   "honeypot": conf.HONEYPOT_FIELD})  # fmt: skip
