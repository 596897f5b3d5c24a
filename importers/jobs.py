"""Running an import: in the foreground (CLI) or as a background job for the portal's upload
page. A job runs in a thread of the web process; its progress goes to its ImportRun through a
connection of its own (the import's connection is inside the import's transaction, whose
writes nobody sees before the commit), so the page can poll /api/v1/imports/<id>/."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

from django.db import connection, connections
from django.utils import timezone

from .errors import ImportFailed
from .locks import layer_lock
from .models import ImportRun
from .pipeline import ImportOptions, ImportReport, file_checksum, import_vector, record_failure
from .raster import import_raster

__all__ = ["RASTER_SUFFIXES", "run_import", "start_job"]

log = logging.getLogger(__name__)
RASTER_SUFFIXES = {".tif", ".tiff", ".geotiff"}


def run_import(path: Path, options: ImportOptions, progress=None, run=None) -> ImportReport:
    """Import ``path`` (vector or raster, by its suffix); ``run`` is a pre-made ImportRun."""
    if Path(path).suffix.lower() not in RASTER_SUFFIXES:
        return import_vector(path, options, progress=progress, run=run)
    if run is None:  # rasters are in the import records too (CLI, watched folder)
        run = ImportRun.objects.create(
            layer_slug=options.slug,
            user=options.user if getattr(options.user, "pk", None) else None,
            file_name=(options.source_name or Path(path).name)[:300],
        )
    try:
        with layer_lock(options.slug, options.source_name or Path(path).name):
            report = import_raster(path, options)
    except Exception as exc:
        record_failure(run, exc)  # as for vector imports: cancelled, or failed, and retried
        raise
    run.checksum = file_checksum(path, options.sidecar)
    run.status = ImportRun.Status.DRY_RUN if report.dry_run else ImportRun.Status.DONE
    run.features_read, run.features_imported = report.read, report.imported
    run.layer_version, run.progress, run.finished_at = report.version, 1.0, timezone.now()
    run.save()
    return report


class _ProgressWriter:
    """Writes a job's progress through its own autocommit connection, at most twice a second."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.db = connections.create_connection("default")
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        """Record progress; raise ImportFailed(code="cancelled") if staff cancelled the job
        (the import then rolls back like any failure)."""
        now = time.monotonic()
        if now - self.last < 0.5:
            return
        self.last = now
        with self.db.cursor() as cursor:
            cursor.execute(
                "UPDATE importers_importrun SET features_read = %s, progress = %s WHERE id = %s "
                "RETURNING cancel_requested",
                [done, min(done / total, 0.99) if total else 0.0, self.run_id],
            )
            row = cursor.fetchone()
        if row and row[0]:
            raise ImportFailed(f"import {self.run_id} cancelled by staff", code="cancelled")

    def close(self) -> None:
        self.db.close()


def _job(run_id: int, path: Path, options: ImportOptions, cleanup: Path | None) -> None:
    writer = None
    try:
        run = ImportRun.objects.get(pk=run_id)
        writer = _ProgressWriter(run_id)
        run_import(path, options, progress=writer, run=run)
    except ImportFailed:
        pass  # recorded on the run by the pipeline
    except Exception:  # noqa: BLE001 - a job must record, not crash the web process
        log.exception("import job %s failed", run_id)
        ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.RUNNING).update(
            status=ImportRun.Status.FAILED, error="internal error", finished_at=timezone.now()
        )
    finally:
        if writer:
            writer.close()
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)
        connection.close()


def start_job(run: ImportRun, path: Path, options: ImportOptions, cleanup: Path | None = None):
    """Run the import of ``path`` in the background; returns the thread (tests join it)."""
    thread = threading.Thread(
        target=_job, args=(run.pk, path, options, cleanup), name=f"import-{run.pk}", daemon=True
    )
    thread.start()
    return thread
