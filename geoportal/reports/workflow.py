"""Staff handling of a report: status transitions, reassignment, duplicate merge, moderation.

Every change is a ReportUpdate (timestamp, staff user, public note); status changes notify
the reporter and subscribers. Only staff (``is_staff``) may call these; the checks live here
so every path (API, dashboard, admin actions) gets them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import PortalError

from .models import Confirmation, Department, Photo, Report, ReportUpdate, Status, Subscription
from .notify import notify_update
from .signals import status_changed
from .validation import check_text

__all__ = ["TRANSITIONS", "Forbidden", "InvalidChange", "change_status", "reassign", "moderate"]

S = Status
TRANSITIONS = {
    S.NEW: {S.CONFIRMED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED, S.DUPLICATE},
    S.CONFIRMED: {S.IN_PROGRESS, S.RESOLVED, S.REJECTED, S.DUPLICATE},
    S.IN_PROGRESS: {S.CONFIRMED, S.RESOLVED, S.REJECTED, S.DUPLICATE},
    # Closed reports can be reopened.
    S.RESOLVED: {S.CONFIRMED, S.IN_PROGRESS},
    S.REJECTED: {S.CONFIRMED},
    S.DUPLICATE: {S.CONFIRMED},
}


class Forbidden(PortalError):
    status = 403
    code = "forbidden"


class InvalidChange(PortalError):
    code = "invalid"


def _staff(user) -> None:
    if user is None or not user.is_authenticated or not user.is_staff:
        raise Forbidden(_("Лише працівники можуть змінювати повідомлення."))


def change_status(report: Report, status: str, *, user, note: str = "",
                  duplicate_of: Report | None = None, template=None) -> ReportUpdate:  # fmt: skip
    """Move ``report`` to ``status``; rejected needs a note (the reason), duplicate the
    original report (whose confirmations and subscribers it takes over). Without a note, a
    ResponseTemplate ``template`` gives it."""
    _staff(user)
    if template is not None and not note.strip():
        note = template.text
    errors = {}
    if status not in S.values:
        errors["status"] = [_("Невідомий стан.")]
    elif status not in TRANSITIONS[S(report.status)]:
        errors["status"] = [_("Зі стану «%(a)s» не можна перейти в «%(b)s».")
                            % {"a": S(report.status).label, "b": S(status).label}]  # fmt: skip
    if status == S.REJECTED and not note.strip():
        errors["note"] = [_("Вкажіть причину відхилення.")]
    if status == S.DUPLICATE:
        while duplicate_of is not None and duplicate_of.duplicate_of_id:
            duplicate_of = duplicate_of.duplicate_of  # point at the original, never a chain
        if duplicate_of is None:
            errors["duplicate_of"] = [_("Вкажіть повідомлення, дублікатом якого є це.")]
        elif duplicate_of.pk == report.pk:
            errors["duplicate_of"] = [_("Повідомлення не може бути дублікатом самого себе.")]
    if errors:
        raise InvalidChange(_("Зміну стану не прийнято."), errors=errors)
    with transaction.atomic():
        update = ReportUpdate.objects.create(report=report, user=user, old_status=report.status,
                                             status=status, note=note.strip())  # fmt: skip
        report.status = status
        if status == S.DUPLICATE:
            report.duplicate_of = duplicate_of
            _merge(report, duplicate_of)
        elif report.duplicate_of_id:
            report.duplicate_of = None
        report.save()
        notify_update(update)
        transaction.on_commit(lambda: status_changed.send(sender=Report, update=update))
    return update


def _merge(duplicate: Report, original: Report) -> None:
    """The duplicate's confirmations and subscribers (and its reporter) follow the original."""
    have = set(original.confirmations.values_list("fingerprint", flat=True))
    for c in duplicate.confirmations.all():
        if c.fingerprint in have:
            c.delete()
        else:
            Confirmation.objects.filter(pk=c.pk).update(report=original)
    emails = {e.lower() for e in original.subscriptions.values_list("email", flat=True)}
    moving = [s.email for s in duplicate.subscriptions.all()]
    if duplicate.email:
        moving.append(duplicate.email)
    for email in moving:
        if email.lower() not in emails and email.lower() != original.email.lower():
            emails.add(email.lower())
            Subscription.objects.create(report=original, email=email)
    duplicate.subscriptions.all().delete()


def reassign(report: Report, department: Department, *, user, dispatcher=None,
             note: str = "") -> ReportUpdate:  # fmt: skip
    """Give the report to another department (and dispatcher)."""
    _staff(user)
    with transaction.atomic():
        report.department = department
        report.dispatcher = dispatcher or department.dispatcher
        report.save(update_fields=["department", "dispatcher", "updated_at"])
        return ReportUpdate.objects.create(report=report, user=user, department=department,
                                           note=note.strip())  # fmt: skip


def moderate(report: Report, *, user, hide_description: bool | None = None,
             description: str | None = None, hide_photos=(), show_photos=(),
             note: str = "") -> ReportUpdate:  # fmt: skip
    """Hide (or show again) the description and photos of a report, or edit the description
    (the resident's original text is kept once, in ``description_original``, for staff)."""
    _staff(user)
    fields = ["updated_at"]
    if description is not None and description.strip() != report.description:
        errors = check_text(description)
        if errors:
            raise InvalidChange(_("Зміну не прийнято."), errors={"description": errors})
        if not report.description_original:
            report.description_original = report.description
        report.description = description.strip()
        fields += ["description", "description_original"]
    if hide_description is not None:
        report.description_hidden = hide_description
        fields.append("description_hidden")
    with transaction.atomic():
        report.save(update_fields=fields)
        Photo.objects.filter(report=report, pk__in=list(hide_photos)).update(hidden=True)
        Photo.objects.filter(report=report, pk__in=list(show_photos)).update(hidden=False)
        return ReportUpdate.objects.create(
            report=report, user=user, note=note.strip() or _("Вміст відмодеровано.")
        )
