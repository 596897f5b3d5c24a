"""GET /api/v1/catalogue/?q= : the web map's layer catalogue searches the same metadata as CSW
(title, abstract, keywords, NSDI theme, organisation, lineage in both languages), with the
access rule applied; JSON for the front end."""

from __future__ import annotations

from django.db.models import Q
from django.http import JsonResponse
from django.views import View

from core.errors import PortalError
from layers.access import visible_layers

from . import conf
from .models import Record

__all__ = ["CatalogueSearch"]


class CatalogueSearch(View):
    http_method_names = ["get", "head"]

    def get(self, request):
        q = request.GET.get("q", "").strip()
        if len(q) > 200 or any(ch < " " for ch in q):
            raise PortalError("q: at most 200 printable characters.", code="invalid-query")
        records = Record.objects.filter(layer__in=visible_layers(request.user))
        for word in q.split()[:8]:
            records = records.filter(Q(anytext__icontains=word) | Q(keywords__icontains=word))
        rows = records.order_by("title").values(
            "identifier", "layer_slug", "title", "title_alternate", "abstract", "keywords",
            "topicategory", "date_revision",
        )[: conf.SEARCH_LIMIT]  # fmt: skip
        return JsonResponse(
            {
                "query": q,
                "results": [
                    {
                        "id": r["identifier"],
                        "layer": r["layer_slug"],
                        "title": r["title"],
                        "title_en": r["title_alternate"],
                        "abstract": r["abstract"],
                        "keywords": [k for k in r["keywords"].split(",") if k],
                        "topic_category": r["topicategory"],
                        "revised": r["date_revision"],
                        "csw": f"/csw?service=CSW&version=2.0.2&request=GetRecordById&id={r['identifier']}"
                        "&outputschema=http://www.isotc211.org/2005/gmd",
                    }
                    for r in rows
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
