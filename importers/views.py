"""Staff upload page (/importers/upload/) and the import status endpoint
(/api/v1/imports/<id>/). Thin: the form validates, importers.uploads checks the file,
importers.jobs runs the import in the background."""

from __future__ import annotations

import shutil
import uuid

from django.contrib.auth.decorators import user_passes_test
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.errors import NotFound, PortalError
from layers.access import visible_layers

from . import conf
from .crs import crs_choices
from .errors import ImportFailed
from .forms import UploadForm
from .jobs import start_job
from .locks import import_running, layer_busy
from .messages import user_message
from .models import ImportRun
from .pipeline import ImportOptions
from .uploads import save_upload

__all__ = ["cancel_import", "crs_search", "import_status", "layer_page", "upload"]

STATUS_FIELDS = (
    "id", "layer_slug", "file_name", "status", "progress", "features_read", "features_imported",
    "features_repaired", "features_rejected", "layer_version", "error", "error_code", "preview",
)  # fmt: skip


def _staff_only(request) -> None:
    if not (request.user.is_authenticated and request.user.is_staff):
        raise PortalError("imports are for staff only", status=403, code="forbidden")


def _run(pk: int) -> ImportRun:
    run = ImportRun.objects.filter(pk=pk).first()
    if run is None:
        raise NotFound(f"no import {pk}")
    return run


def status_of(run: ImportRun) -> dict:
    data = {name: getattr(run, name) for name in STATUS_FIELDS}
    data["warnings"] = run.warnings[:50]
    data["dry_run"] = run.status == ImportRun.Status.DRY_RUN
    differences = [w.removeprefix("schema: ") for w in run.warnings if w.startswith("schema: ")]
    data["message"] = user_message(run.error_code, run.error, differences) if run.error else ""
    data["started_at"] = run.started_at.isoformat() if run.started_at else None
    data["finished_at"] = run.finished_at.isoformat() if run.finished_at else None
    data["url"] = reverse("import-status", args=[run.pk])
    data["cancel_url"] = reverse("import-cancel", args=[run.pk])
    return data


@user_passes_test(lambda u: u.is_staff, login_url="login")
@require_http_methods(["GET", "POST"])
def upload(request):
    if request.method == "GET":
        runs = ImportRun.objects.select_related("user")[:15]
        return render(
            request,
            "importers/upload.html",
            {
                "form": UploadForm(),
                "runs": runs,
                "max_mb": conf.MAX_UPLOAD_MB,
                "crs_choices": crs_choices(),
            },  # fmt: skip
        )
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > (conf.MAX_UPLOAD_MB + 1) * (1 << 20):
        raise PortalError(
            f"upload of {length >> 20} MB is larger than the limit of {conf.MAX_UPLOAD_MB} MB",
            code="too-large",
        )
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        readable = "; ".join(
            f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        )
        raise PortalError(readable, code="invalid", fields=form.errors.get_json_data())
    data = form.cleaned_data
    if layer_busy(data["slug"]):
        busy = import_running(data["slug"])
        raise PortalError(user_message(busy.code, busy.detail), status=409, code=busy.code)
    folder = conf.UPLOAD_DIR / uuid.uuid4().hex
    try:
        path = save_upload(data["file"], folder)
    except ImportFailed as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise PortalError(
            user_message(exc.code, exc.detail), code=exc.code, file=data["file"].name
        ) from exc
    options = ImportOptions(
        slug=data["slug"],
        title_uk=data["title"] or None,
        kind=data["kind"] or None,
        category=data["category"] or None,
        access=data["access"] or None,
        crs=data["crs"] or None,
        encoding=data["encoding"] or None,
        layer_in_file=data["layer_in_file"] or None,
        allow_outside_extent=data["allow_outside_extent"],
        dry_run=data["dry_run"],
        schema="replace" if data.get("schema_replace") else None,
        user=request.user,
        source_name=path.name,
        layer_fields={"landmark_ref": data["landmark_ref"]} if data["landmark_ref"] else {},
    )
    run = ImportRun.objects.create(layer_slug=data["slug"], user=request.user, file_name=path.name)
    # started once the run is committed (also under ATOMIC_REQUESTS): the job reads it
    transaction.on_commit(lambda: start_job(run, path, options, cleanup=folder))
    return JsonResponse(status_of(run), status=202, json_dumps_params={"ensure_ascii": False})


def import_status(request, pk: int):
    _staff_only(request)
    return JsonResponse(status_of(_run(pk)), json_dumps_params={"ensure_ascii": False})


@require_http_methods(["POST"])
def cancel_import(request, pk: int):
    """Ask a running import to stop; it rolls back at its next batch (409 if it has ended)."""
    _staff_only(request)
    updated = ImportRun.objects.filter(pk=pk, status=ImportRun.Status.RUNNING).update(
        cancel_requested=True
    )
    run = _run(pk)
    if not updated:
        raise PortalError(
            f"import {pk} has already ended ({run.status})", status=409, code="finished"
        )
    return JsonResponse(status_of(run), status=202, json_dumps_params={"ensure_ascii": False})


def crs_search(request):
    """GET ?q=: coordinate systems for the upload form's picker (code or name, Ukraine's first)."""
    _staff_only(request)
    query = request.GET.get("q", "")[:100]
    return JsonResponse({"results": crs_choices(query)}, json_dumps_params={"ensure_ascii": False})


def layer_page(request, slug: str):
    """A public page per layer: metadata, licence, source, last update and its import history
    (file and figures for everyone; who imported, checksums and errors for staff only). A
    layer the caller may not see is a 404 like a missing one (layers.access)."""
    layer = visible_layers(request.user).filter(slug=slug).first()
    if layer is None:
        raise NotFound(f"no layer {slug}")
    staff = request.user.is_authenticated and request.user.is_staff
    runs = ImportRun.objects.filter(layer_slug=slug).select_related("user")
    if not staff:
        runs = runs.filter(status=ImportRun.Status.DONE)
    language = getattr(request, "LANGUAGE_CODE", "uk")
    return render(request, "importers/layer_page.html", {
        "layer": layer, "title": layer.title(language), "runs": runs[:20], "staff": staff,
        "description": (layer.description_en if language.startswith("en") else "") or layer.description_uk,
    })  # fmt: skip
