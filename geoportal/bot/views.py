"""The webhook Telegram posts updates to: off (404) unless a token and a secret are configured;
the secret given to setWebhook must come back in X-Telegram-Bot-Api-Secret-Token (403
otherwise); the body must be one JSON object (400 otherwise). Handled updates get 200."""

from __future__ import annotations

import hmac
import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.errors import NotFound, PortalError

from . import conf
from .dialogue import handle_update

MAX_BODY = 256 * 1024  # an Update with a long message is a few kilobytes


class Forbidden(PortalError):
    status = 403
    code = "forbidden"


class BadUpdate(PortalError):
    code = "invalid"


@csrf_exempt  # authenticated by the webhook secret, not a session
@require_POST
def webhook(request):
    if not conf.enabled():
        raise NotFound(_("Бот не налаштовано."))
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not hmac.compare_digest(given.encode(), conf.secret().encode()):
        raise Forbidden(_("Невірний секрет вебхука."))
    if len(request.body) > MAX_BODY:
        raise BadUpdate(_("Завеликий запит."))
    try:
        update = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadUpdate(_("Тіло запиту має бути JSON-об'єктом Update.")) from exc
    if not isinstance(update, dict):
        raise BadUpdate(_("Тіло запиту має бути JSON-об'єктом Update."))
    try:
        handle_update(update)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadUpdate(_("Update не відповідає формату Bot API.")) from exc
    return HttpResponse(status=200)
