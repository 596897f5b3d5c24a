"""The bot's side of the conversation: what a resident's update adds to the report being put
together (text, photos, a location; a tapped button) and what to ask next, until the report is
filed through the same intake as the web form (geoportal.reports.intake.submit: the same
validation, rate limits, privacy rules).

Order: something to report -> the category (guessed from the words, else buttons) -> the
category's required questions (buttons) -> the place (the phone's location; else the
locator's answer for the text; an unsure answer becomes the locator's question with up to five
buttons) -> filed. The place is always worked out as an anonymous caller sees it
(shield.locate_as): a staff-only pole is offered at its shielded cell, and the intake stores
the report at the pole itself when that cell is picked.
"""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.errors import PortalError, RateLimited
from geoportal.locator import conf as locator_conf
from geoportal.locator.answer import render
from geoportal.locator.normalize import normalize
from geoportal.locator.shield import locate_as
from geoportal.reports.intake import InvalidReport, submit
from geoportal.reports.models import Category

from . import conf, telegram
from .models import Chat, ChatReport
from .telegram import Ack, Reply

__all__ = ["handle_update"]

# Words that tell the category (stems, on the normalised text: Russian and Latin work too).
CATEGORY_WORDS = {
    "light-daytime": [r"світ\w* (в|у)день", r"гор\w* (в|у)день", r"вдень", r"удень"],
    "damaged-pole": [
        r"похил",
        r"нахил",
        r"впал\w* опор",
        r"опор\w* впал",
        r"дріт",
        r"провід",
        r"провод",
        r"іскр",
    ],  # fmt: skip
    "light-out": [
        r"не світ",
        r"не гор",
        r"темно",
        r"блима",
        r"мига",
        r"не працю\w* освітл",
        r"світла нема",
        r"лампа",
    ],  # fmt: skip
    "manhole": [r"люк", r"колодяз", r"кришк"],
    "pothole": [r"\bям\w*", r"вибоїн"],
    "road-surface": [r"асфальт", r"покритт", r"тротуар"],
    "missing-sign": [r"знак"],
}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # never stored (PostgreSQL refuses NUL)


def guess_category(text: str) -> str | None:
    """The one category the words point to, or None when none or several do."""
    folded = normalize(text)
    found = [code for code, pats in CATEGORY_WORDS.items()
             if any(re.search(p, folded) for p in pats)]  # fmt: skip
    if "light-daytime" in found:  # "світить вдень" also matches "світ"
        found = [c for c in found if c != "light-out"]
    if "damaged-pole" in found and "light-out" in found:
        found.remove("light-out")  # a broken pole is reported as such
    return found[0] if len(found) == 1 else None


def _title(category: Category, lang: str) -> str:
    return category.title_en if lang == "en" and category.title_en else category.title_uk


def _ask_category(chat: Chat) -> Reply:
    cats = list(Category.objects.filter(is_active=True))
    rows = [[(_title(c, chat.lang), f"cat:{c.code}")] for c in cats]
    return Reply(chat.chat_id, _("Що сталося? Оберіть категорію:"), rows)


def _missing_question(category: Category, answers: dict) -> dict | None:
    for q in category.questions:
        if q.get("required") and q["name"] not in answers and q.get("type") in ("choice", "bool"):
            return q
    return None


def _ask_question(chat: Chat, q: dict) -> Reply:
    label = q.get("label_en") if chat.lang == "en" and q.get("label_en") else q["label_uk"]
    if q["type"] == "bool":
        rows = [[(_("Так"), f"ans:{q['name']}:1"), (_("Ні"), f"ans:{q['name']}:0")]]
    else:
        rows = [[(c, f"ans:{q['name']}:{i}")] for i, c in enumerate(q.get("choices", []))]
    return Reply(chat.chat_id, label, rows)


def _choice_text(c: dict) -> str:
    """The label, and what tells the place apart unless the label already says it."""
    tells = c["distinguishing"]
    return f"{c['label']} — {tells}" if tells and tells not in c["label"] else c["label"]


def _ask_place(chat: Chat, body: dict) -> Reply:
    rows = [[(_choice_text(c), f"pick:{i}")] for i, c in enumerate(body["choices"])]
    text = "\n".join(filter(None, [body["explanation"], body["question"],
                                   _("Оберіть місце або надішліть геолокацію (📎 → Геопозиція).")]))  # fmt: skip
    return Reply(chat.chat_id, text, rows)


def _place_step(chat: Chat, draft: dict) -> Reply | None:
    """None when the place is known or the locator is sure; else what to ask."""
    if draft.get("lat") is not None or draft.get("pick") is not None or not draft.get("text"):
        return None if draft.get("lat") is not None or draft.get("pick") is not None else Reply(
            chat.chat_id, _("Де це? Надішліть геолокацію (📎 → Геопозиція) або опишіть місце: "
                            "вулицю, номер будинку чи опори, зупинку."))  # fmt: skip
    body = render(locate_as(None, text=draft["text"]))
    if body["confidence"] >= locator_conf.CONFIDENT and not body["ambiguous"]:
        return None
    if body["choices"]:
        draft["choices"] = [{"lat": c["lat"], "lon": c["lon"], "label": c["label"]}
                            for c in body["choices"]]  # fmt: skip
        return _ask_place(chat, body)
    return Reply(chat.chat_id, _("Не вдалося знайти місце за описом. Надішліть геолокацію "
                                 "(📎 → Геопозиція) або опишіть точніше."))  # fmt: skip


def _data(draft: dict) -> dict:
    data = {"category": draft["category"], "description": draft.get("text", ""),
            "location_text": draft.get("text", ""), "answers": draft.get("answers", {})}  # fmt: skip
    if draft.get("pick") is not None:
        choice = draft["choices"][draft["pick"]]
        data.update(lat=choice["lat"], lon=choice["lon"], located_by="pin")
    elif draft.get("lat") is not None:
        data.update(lat=draft["lat"], lon=draft["lon"], located_by="gps",
                    accuracy_m=draft.get("accuracy_m"))  # fmt: skip
    return data


def _file(chat: Chat, draft: dict) -> list:
    photos = telegram.download(draft.get("photos", []))
    if photos is None:
        return [Reply(chat.chat_id, _("Не вдалося отримати фото. Надішліть його ще раз."))]
    files = [SimpleUploadedFile(f"photo{i}.jpg", raw, "image/jpeg") for i, raw in enumerate(photos)]
    try:
        report = submit(_data(draft), files, ip=None, source="telegram",
                        sender=f"telegram:{chat.chat_id}")  # fmt: skip
    except InvalidReport as exc:
        errors = exc.extra.get("errors", {})
        if "location" in errors:
            draft.pop("pick", None)
            return [Reply(chat.chat_id, " ".join(errors["location"]) + " " +
                          _("Надішліть геолокацію (📎 → Геопозиція)."))]  # fmt: skip
        first = next(iter(errors.values()), [exc.detail])
        return [Reply(chat.chat_id, f"{exc.detail} {first[0]}")]
    except RateLimited as exc:
        return [Reply(chat.chat_id, exc.detail)]
    except PortalError as exc:  # banned and the like
        draft.clear()
        return [Reply(chat.chat_id, exc.detail)]
    ChatReport.objects.get_or_create(chat=chat, report=report)
    draft.clear()
    return [Reply(chat.chat_id, _("Дякуємо! Повідомлення №%(id)s прийнято: %(cat)s. Про зміну "
                                  "його стану напишемо сюди.")
                  % {"id": report.pk, "cat": _title(report.category, chat.lang)})]  # fmt: skip


def advance(chat: Chat) -> list:
    """What to ask next, or the report filed."""
    draft = chat.draft
    if not (draft.get("text") or draft.get("photos") or draft.get("lat") is not None):
        return [Reply(chat.chat_id, _("Опишіть проблему і де вона: текстом, фото та/або "
                                      "геолокацією."))]  # fmt: skip
    if not draft.get("category"):
        draft["category"] = guess_category(draft.get("text", ""))
        if not draft["category"]:
            return [_ask_category(chat)]
    category = Category.objects.filter(code=draft["category"], is_active=True).first()
    if category is None:
        draft.pop("category")
        return [_ask_category(chat)]
    q = _missing_question(category, draft.setdefault("answers", {}))
    if q:
        return [_ask_question(chat, q)]
    ask = _place_step(chat, draft)
    if ask:
        return [ask]
    return _file(chat, draft)


def _command(chat: Chat, text: str) -> list | None:
    word, _sep, arg = text.partition(" ")
    word = word.split("@")[0].lower()
    if word == "/lang":
        arg = arg.strip().lower()
        chat.lang = arg if arg in ("uk", "en") else ("en" if chat.lang == "uk" else "uk")
        with override(chat.lang):
            return [Reply(chat.chat_id, _("Мову змінено: українська."))]
    if word in ("/start", "/help"):
        return [Reply(chat.chat_id, _("Вітаємо! Це бот громади для повідомлень про проблеми. "
                                      "Опишіть, що сталося і де (вулиця, номер опори чи "
                                      "будинку), додайте фото чи геолокацію. /lang — English."))]  # fmt: skip
    if word in ("/cancel", "/new"):
        chat.draft = {}
        return [Reply(chat.chat_id, _("Скасовано. Можна почати нове повідомлення."))]
    return None


def _take_message(chat: Chat, message: dict) -> list:
    draft = chat.draft
    text = CONTROL.sub(" ", str(message.get("text") or message.get("caption") or "")).strip()
    if text.startswith("/"):
        done = _command(chat, text)
        if done is not None:
            return done
    if text:
        joined = " ".join(filter(None, [draft.get("text", ""), text]))
        draft["text"] = joined[: conf.MAX_TEXT]
        if "category" in draft and draft.get("category") is None:
            draft.pop("category")
    sizes = message.get("photo") or []
    if sizes and len(draft.get("photos", [])) < conf.MAX_PHOTOS:
        largest = max(sizes, key=lambda s: s.get("width", 0) * s.get("height", 0))
        draft.setdefault("photos", []).append(str(largest["file_id"]))
    loc = message.get("location")
    if loc:
        draft.update(lat=float(loc["latitude"]), lon=float(loc["longitude"]),
                     accuracy_m=loc.get("horizontal_accuracy"))  # fmt: skip
        draft.pop("pick", None)
    return advance(chat)


def _take_callback(chat: Chat, query: dict) -> list:
    draft = chat.draft
    data = str(query.get("data") or "")
    acks = [Ack(str(query["id"]))]
    kind, _sep, rest = data.partition(":")
    if kind == "cat":
        draft["category"] = rest
        draft["answers"] = {}
    elif kind == "ans" and draft.get("category"):
        name, _sep, value = rest.partition(":")
        category = Category.objects.filter(code=draft["category"]).first()
        q = next((q for q in (category.questions if category else []) if q["name"] == name), None)
        if q and q["type"] == "bool":
            draft.setdefault("answers", {})[name] = value == "1"
        elif q and value.isdigit() and int(value) < len(q.get("choices", [])):
            draft.setdefault("answers", {})[name] = q["choices"][int(value)]
    elif kind == "pick" and rest.isdigit() and int(rest) < len(draft.get("choices", [])):
        draft["pick"] = int(rest)
    else:
        return acks  # a button of a finished or cancelled report
    return acks + advance(chat)


def handle_update(update: dict) -> None:
    """Handle one Telegram Update (a dict as Telegram sends it); sends the replies."""
    message = update.get("message") or update.get("edited_message")
    query = update.get("callback_query")
    source = message or (query or {}).get("message")
    if not isinstance(source, dict) or not isinstance(source.get("chat"), dict):
        return
    sender = (message or query).get("from") or {}
    chat, created = Chat.objects.get_or_create(chat_id=int(source["chat"]["id"]))
    if created:
        chat.lang = "en" if str(sender.get("language_code", "")).startswith("en") else "uk"
    update_id = int(update.get("update_id", 0))
    if update_id and update_id <= chat.last_update_id:
        return  # delivered again
    chat.last_update_id = update_id or chat.last_update_id
    with override(chat.lang):
        replies = _take_callback(chat, query) if query else _take_message(chat, message)
    chat.save()
    telegram.deliver(replies)
