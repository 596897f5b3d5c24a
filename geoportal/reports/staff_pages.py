"""The staff handling page of one report (/reports/dashboard/{id}/) and its form posts, and
the dashboard's heatmap data. Thin: forms in ``staff_forms``, changes in ``workflow``.

Staff only: anonymous visitors go to the login page, signed-in non-staff get 404 (the page
does not exist for them). Posts are CSRF-protected (Django's middleware)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import dashboard as board
from . import photos
from .models import OPEN_STATUSES, Report, ResponseTemplate
from .pages import staff_only
from .staff_forms import ACTIONS

__all__ = ["report_desk", "next_report", "report_action", "heatmap"]


def _report(pk: int) -> Report:
    qs = Report.objects.select_related("category", "department", "dispatcher", "duplicate_of")
    return get_object_or_404(qs, pk=pk)


def _render(request, report, forms=None, status=200):
    forms = {name: form_class(report=report) for name, form_class in ACTIONS.items()} | (
        forms or {}
    )
    context = {
        "report": report,
        "forms": forms,
        "updates": report.updates.select_related("user", "department"),
        "photos": [_with_thumb(p) for p in report.photos.all()],
        "duplicates": report.duplicates.only("pk"),
        "confirmations": report.confirmations.count(),
        "subscribers": report.subscriptions.count(),
        "templates": {
            t.code: {"text": t.text, "status": t.status} for t in ResponseTemplate.objects.all()
        },  # fmt: skip
        "point": report.location.transform(4326, clone=True),
        "answers": answer_rows(report),
    }
    return render(request, "reports/desk.html", context, status=status)


def _with_thumb(photo):
    photo.thumb = photos.thumb_url(photo)
    return photo


def answer_rows(report) -> list[tuple[str, str]]:
    """The report's answers as (question title, answer) in the category's order: the title in
    the page's language, a yes/no answer in words; an answer to a question the category no
    longer has keeps its key."""
    english = (get_language() or "uk").startswith("en")
    answers = dict(report.answers or {})
    rows = []
    for q in report.category.questions or []:
        if q.get("name") not in answers:
            continue
        value = answers.pop(q["name"])
        if isinstance(value, bool):
            value = _("так") if value else _("ні")
        title = (english and q.get("label_en")) or q.get("label_uk") or q["name"]
        rows.append((title, str(value)))
    return rows + [(key, str(value)) for key, value in answers.items()]


@require_GET
@staff_only
def report_desk(request, pk: int):
    return _render(request, _report(pk))


@require_GET
@staff_only
def next_report(request):
    """/reports/desk/: the desk of the next report to handle: the signed-in dispatcher's own
    open reports first, then any open one; earliest deadline first. The dashboard when none."""
    open_reports = Report.objects.filter(status__in=OPEN_STATUSES).order_by(
        F("deadline").asc(nulls_last=True), "pk"
    )
    report = open_reports.filter(dispatcher=request.user).first() or open_reports.first()
    if report is None:
        messages.info(request, _("Відкритих повідомлень немає."))
        return redirect("reports-dashboard")
    return redirect("report-desk", pk=report.pk)


@require_POST
@staff_only
def report_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    report = _report(pk)
    form = ACTIONS[action](request.POST, report=report)
    if form.is_valid() and form.save(request.user):
        messages.success(request, _("Зміни збережено."))
        return redirect("report-desk", pk=pk)
    report.refresh_from_db()  # a refused change leaves nothing half-applied on the page
    return _render(request, report, {action: form}, status=400)


@require_GET
@staff_only
def heatmap(request):
    """Density cells of the filtered reports (the dashboard's filters + ``cell`` in metres)."""
    grid = board.density_grid(request.GET, request.GET.get("cell", "200"))
    return JsonResponse(grid)
