"""Reports drive the asset states: this app listens to the reports' own model signals
(``post_save`` of ``Report``: a new report, and every status change the workflow saves), so
the reports app never imports this one (conditions -> reports, one direction).

The work runs inside the report's transaction, in a savepoint: the asset's state commits with
the report, and a failure here is logged and rolled back alone, never costing the resident's
report."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from geoportal.reports.models import Report

from . import registers

log = logging.getLogger(__name__)


@receiver(post_save, sender=Report, dispatch_uid="conditions-report-saved")
def report_saved(sender, instance: Report, created=False, raw=False, **kwargs):
    if raw:
        return
    try:
        with transaction.atomic():
            if created:
                registers.link_report(instance)
            else:
                registers.report_changed(instance)
    except Exception:  # noqa: BLE001 -- the report itself must not fail because of a register
        log.exception("conditions: report %s not applied to its asset", instance.pk)
