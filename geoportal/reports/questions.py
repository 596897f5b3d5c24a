"""Validation of a category's extra questions and the legal deadline of a formal appeal.

A category's questions are a JSON list of {name, label_uk, label_en, type: text|choice|bool,
choices, required}. Answers are validated on submit; errors are per question name so the view
can return them as problem+json "errors".
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

__all__ = ["validate_answers", "appeal_deadline", "DEFAULT_APPEAL_DAYS", "MAX_TEXT_ANSWER"]

# Law of Ukraine "On Citizens' Appeals", art. 20: 30 days unless the category says 15.
DEFAULT_APPEAL_DAYS = 30
MAX_TEXT_ANSWER = 1000


def validate_answers(questions, answers):
    """Return (clean_answers, errors); errors maps question name -> list of messages."""
    answers = answers or {}
    clean, errors = {}, {}
    known = {q["name"] for q in questions}
    for name in answers:
        if name not in known:
            errors.setdefault(name, []).append(_("Невідоме питання."))
    for q in questions:
        name, kind = q["name"], q.get("type", "text")
        value = answers.get(name)
        if value in (None, ""):
            if q.get("required"):
                errors.setdefault(name, []).append(_("Потрібна відповідь."))
            continue
        if kind == "bool":
            if isinstance(value, bool):
                clean[name] = value
            elif str(value).lower() in ("true", "1", "yes", "так"):
                clean[name] = True
            elif str(value).lower() in ("false", "0", "no", "ні"):
                clean[name] = False
            else:
                errors.setdefault(name, []).append(_("Очікується «так» або «ні»."))
        elif kind == "choice":
            if value not in q.get("choices", []):
                errors.setdefault(name, []).append(
                    _("Немає серед варіантів: %(value)s.") % {"value": value}
                )
            else:
                clean[name] = value
        else:
            text = str(value).strip()
            if len(text) > MAX_TEXT_ANSWER:
                errors.setdefault(name, []).append(
                    _("Не більше %(n)s символів.") % {"n": MAX_TEXT_ANSWER}
                )
            else:
                clean[name] = text
    return clean, errors


def appeal_deadline(registered_at: datetime, days: int | None = None) -> datetime:
    """Deadline of a formal appeal: registration + days (30 by default, 15 if the category says)."""
    return registered_at + timedelta(days=days or DEFAULT_APPEAL_DAYS)
