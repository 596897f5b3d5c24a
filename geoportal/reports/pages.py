"""Server-rendered pages: the public page of a report and the staff dashboard (+ CSV)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core import conf as portal_conf
from layers.roles import role_map

from . import dashboard as board
from . import photos as photo_files
from .models import Area, Category, Department, Photo, Status
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


def _map_view(request, zoom_out: int = 0) -> dict:
    """Where a page's map opens and the basemap's layers by role, as on the web map."""
    return {
        "center": portal_conf.HROMADA["center"],
        "zoom": portal_conf.HROMADA.get("zoom", 14) - zoom_out,
        "layersUrl": "/api/v1/layers/",
        "roles": role_map(request.user),
    }


def _when(value: str | None):
    return parse_datetime(value) if value else None


@require_GET
def report_page(request, pk: int):
    report = public_detail(pk)
    if report is None:
        raise Http404
    english = (get_language() or "uk").startswith("en")
    category = Category.objects.filter(code=report["category"]).first()
    department = Department.objects.filter(name_uk=report["department"]).first()
    context = {
        "report": report,
        "category_title": (english and category and category.title_en) or report["category_title"],
        "department": (english and department and department.name_en) or report["department"],
        "photos": [{"url": u, "thumb": photo_files.thumb_of(u)} for u in report["photos"]],
        # datetimes, so the template shows them in Kyiv time with the language's formats
        "times": {"created_at": _when(report["created_at"]), "deadline": _when(report["deadline"])},
        "updates": [
            {**u, "created_at_iso": u["created_at"], "created_at": _when(u["created_at"])}
            for u in report["updates"]
        ],  # fmt: skip
        "map_view": _map_view(request),
    }
    return render(request, "reports/report.html", context)


@require_GET
def photo_file(request, name: str):
    """/media/<name>: a report photo or its thumbnail, after the access check (photos.py)."""
    return photo_files.photo_response(request, name)


@require_GET
@staff_only
def dashboard(request):
    reports = list(board.filtered(request.GET)[:500])
    _attach_first_photos(reports)
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
        "map_view": _map_view(request, zoom_out=2),
    }
    return render(request, "reports/dashboard.html", context)


def _attach_first_photos(reports) -> None:
    """``first_photo`` (with its thumbnail URL) on each report: one query for the page."""
    first = {}
    for photo in Photo.objects.filter(report__in=reports).order_by("report_id", "pk"):
        if photo.report_id not in first:
            photo.thumb = photo_files.thumb_url(photo)
            first[photo.report_id] = photo
    for report in reports:
        report.first_photo = first.get(report.pk)


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
