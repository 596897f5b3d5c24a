"""Status changes of reports filed from a chat, sent to that chat (geoportal.reports.signals
.status_changed, sent after the change commits: the reports app never imports the bot)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import override

from geoportal.reports.models import Status
from geoportal.reports.signals import status_changed

from . import conf, telegram
from .models import ChatReport


@receiver(status_changed)
def tell_chats(sender, update, **kwargs):
    if not conf.enabled():
        return
    replies = []
    for link in ChatReport.objects.filter(report_id=update.report_id).select_related("chat"):
        with override(link.chat.lang):
            text = _("Повідомлення №%(id)s: новий стан — %(status)s.") % {
                "id": update.report_id,
                "status": str(Status(update.status).label),
            }
            if update.note:
                text += "\n" + _("Примітка: %(note)s") % {"note": update.note}
        replies.append(telegram.Reply(link.chat.chat_id, text))
    telegram.deliver(replies)
