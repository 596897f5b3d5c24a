"""The staff handling page of one report (/reports/dashboard/{id}/) and its form posts, and
the dashboard's heatmap data. Thin: forms in ``staff_forms``, changes in ``workflow``.

Staff only: anonymous visitors go to the login page, signed-in non-staff get 404 (the page
does not exist for them). Posts are CSRF-protected (Django's middleware)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import dashboard as board
from .models import Report, ResponseTemplate
from .pages import staff_only
from .staff_forms import ACTIONS

__all__ = ["report_desk", "report_action", "heatmap"]


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
        "photos": report.photos.all(),
        "duplicates": report.duplicates.only("pk"),
        "confirmations": report.confirmations.count(),
        "subscribers": report.subscriptions.count(),
        "templates": {
            t.code: {"text": t.text, "status": t.status} for t in ResponseTemplate.objects.all()
        },  # fmt: skip
        "point": report.location.transform(4326, clone=True),
    }
    return render(request, "reports/desk.html", context, status=status)


@require_GET
@staff_only
def report_desk(request, pk: int):
    return _render(request, _report(pk))


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
