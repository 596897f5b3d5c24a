"""E-mail to the reporter and the subscribers of a report when its status changes.

Sent after the transaction commits (a rolled-back change notifies nobody), one message per
recipient so no one sees another's address. The backend is Django's (console by default).
"""

from __future__ import annotations

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils.translation import gettext as _

from core import conf as portal_conf

from .models import Report, ReportUpdate, Status

__all__ = ["recipients", "notify_update"]


def recipients(report: Report) -> list[str]:
    emails = [report.email or (report.user.email if report.user_id else "")]
    emails += list(report.subscriptions.values_list("email", flat=True))
    seen, out = set(), []
    for e in emails:
        if e and e.lower() not in seen:
            seen.add(e.lower())
            out.append(e)
    return out


def _message(update: ReportUpdate) -> tuple[str, str]:
    report = update.report
    status = str(Status(update.status).label) if update.status else ""
    subject = _("Повідомлення №%(id)s: %(status)s") % {"id": report.pk, "status": status}
    lines = [
        _("Стан вашого повідомлення «%(cat)s» змінено: %(status)s.")
        % {"cat": report.category.title_uk, "status": status}
    ]
    if update.note:
        lines.append(_("Примітка: %(note)s") % {"note": update.note})
    if report.duplicate_of_id and update.status == Status.DUPLICATE:
        lines.append(_("Далі стежте за повідомленням №%(id)s.") % {"id": report.duplicate_of_id})
    lines.append(_("Сторінка повідомлення: %(url)s")
                 % {"url": f"{portal_conf.PUBLIC_URL}/reports/{report.pk}/"})  # fmt: skip
    return subject, "\n\n".join(lines)


def notify_update(update: ReportUpdate) -> None:
    """Queue the e-mails of a status change for when the transaction commits."""
    to = recipients(update.report)
    if not to or not update.status:
        return
    subject, body = _message(update)

    def send():
        connection = get_connection()
        connection.send_messages([EmailMessage(subject, body, to=[addr]) for addr in to])

    transaction.on_commit(send, robust=True)  # a mail server down does not undo or 500 the change
