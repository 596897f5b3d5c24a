"""Server-rendered pages: the public page of a report and the staff dashboard (+ CSV)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import conf as portal_conf
from layers.roles import role_map

from . import dashboard as board
from . import photos as photo_files
from .models import Area, Category, Department, Status
from .public import public_detail

__all__ = ["report_page", "dashboard", "export_csv", "staff_only", "photo_file"]


def staff_only(view):
    """Anonymous visitors go to the login page; signed-in non-staff get 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
def report_page(request, pk: int):
    report = public_detail(pk)
    if report is None:
        raise Http404
    photos = [{"url": u, "thumb": photo_files.thumb_of(u)} for u in report["photos"]]
    return render(request, "reports/report.html", {"report": report, "photos": photos})


@require_GET
def photo_file(request, name: str):
    """/media/<name>: a report photo or its thumbnail, after the access check (photos.py)."""
    return photo_files.photo_response(request, name)


@require_GET
@staff_only
def dashboard(request):
    reports = list(board.filtered(request.GET)[:500])
    context = {
        "reports": reports,
        "params": request.GET,
        "statuses": Status.choices,
        "categories": Category.objects.all(),
        "departments": Department.objects.all(),
        "areas": Area.objects.only("pk", "name"),
        "csv_query": request.GET.urlencode(),
        "points": [_point(r) for r in reports],
        # where the map opens: the hromada, as on the web map ([lon, lat], zoom); the basemap's
        # layers by role ({role: slug}), as the web map's config.roles
        "map_view": {
            "center": portal_conf.HROMADA["center"],
            "zoom": portal_conf.HROMADA.get("zoom", 14) - 2,
            "layersUrl": "/api/v1/layers/",
            "roles": role_map(request.user),
        },  # fmt: skip
    }
    return render(request, "reports/dashboard.html", context)


def _point(report) -> dict:
    return {"id": report.pk, "lat": round(report.lat, 7), "lon": round(report.lon, 7),
            "title": f"№{report.pk} {report.category.title_uk}", "overdue": report.is_overdue}  # fmt: skip


@require_GET
@staff_only
def export_csv(request):
    reports = board.filtered(request.GET)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reports.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM correctly
    board.write_csv(reports.iterator(), response)
    return response
