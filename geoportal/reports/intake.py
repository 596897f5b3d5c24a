"""A new report from a resident (web API or Open311): validate every field, place it, route it,
save it atomically.

Location, in order of trust:
- ``located_by="pin"`` with lat/lon: the resident put (or confirmed) a pin on the map; it wins.
  A typed description is still run through the locator and its answer kept for the dispatcher.
- text and/or landmarks: the locator's point when its answer is confident (>= 0.5); otherwise
  the phone's GPS fix when one was sent; otherwise the report is refused (400, field
  ``location``) with the locator's candidates, so the client can ask for a pin.
- lat/lon alone (pin or GPS), then a photo's EXIF position.
Nothing is half-saved: every check runs before the first write, rows are written in one
transaction, and photo files written inside it are deleted when it rolls back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PortalError
from geoportal.locator import conf as locator_conf
from geoportal.locator.answer import render
from geoportal.locator.exif import exif_location
from geoportal.locator.resolve import locate
from geoportal.locator.shield import locate_as, public_point

from . import abuse, conf, photos
from .models import Category, LocatedBy, Photo, Report
from .questions import appeal_deadline, validate_answers
from .routing import route
from .validation import check_location, check_text, is_yes

__all__ = ["InvalidReport", "submit", "to_3857"]

PHONE = re.compile(r"^\+?[0-9 ()-]{5,20}$")
LIMITS = {"name": 200, "phone": 40, "postal_address": 500, "location_text": locator_conf.MAX_TEXT}


class InvalidReport(PortalError):
    """400 with ``errors: {field: [messages]}`` (and the locator's ``candidates`` if any)."""

    code = "invalid"


def to_3857(lon: float, lat: float) -> Point:
    point = Point(lon, lat, srid=4326)
    point.transform(3857)
    return point


@dataclass
class Placed:
    point: Point
    located_by: str
    confidence: float | None = None
    uncertainty_m: float | None = None
    explanation: str = ""
    public_point: Point | None = None  # where the public sees it, when not at ``point``
    shown: dict | None = None  # the locator's hint as the submitter may see it


def _float(data, key, errors):
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        errors.setdefault(key, []).append(_("Має бути числом."))
        return None


def _answers(data, errors):
    raw = data.get("answers") or {}
    if isinstance(raw, str):  # multipart: a JSON string
        try:
            raw = json.loads(raw)
        except ValueError:
            errors["answers"] = [_("Відповіді мають бути JSON-об'єктом.")]
            return {}
    if not isinstance(raw, dict):
        errors["answers"] = [_("Відповіді мають бути JSON-об'єктом.")]
        return {}
    return raw


def _landmarks(data, errors) -> list[str]:
    raw = data.get("landmarks") or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or len(raw) > 20 or any(not isinstance(x, str) for x in raw):
        errors["landmarks"] = [_("Орієнтири — список до 20 рядків.")]
        return []
    for item in raw:
        if check_text(item, limit=100):
            errors["landmarks"] = [_("Орієнтир: до 100 символів, без HTML.")]
    return [x.strip() for x in raw if x.strip()]


def _photos(files, errors) -> tuple[list[bytes], tuple[float, float] | None]:
    if len(files) > conf.MAX_PHOTOS:
        errors["photos"] = [_("Не більше %(n)s фото.") % {"n": conf.MAX_PHOTOS}]
        return [], None
    cleaned, where = [], None
    for i, upload in enumerate(files, 1):
        if upload.size > photos.MAX_BYTES:  # refused before reading it into memory
            mb = photos.MAX_BYTES // (1024 * 1024)
            errors.setdefault("photos", []).append(
                _("Фото %(i)s більше за %(mb)s МБ.") % {"i": i, "mb": mb}
            )
            continue
        raw = upload.read()
        try:
            cleaned.append(photos.clean_photo(raw))
        except photos.PhotoError as exc:
            errors.setdefault("photos", []).append(f"{i}: {exc}")
            continue
        where = where or exif_location(raw)  # read before the EXIF is gone
    return cleaned, where


def _hint(result) -> dict:
    return {"confidence": result.confidence, "explanation": result.explanation,
            "uncertainty_m": result.candidate.uncertainty_m if result.candidate else None}  # fmt: skip


def _locate(fields, photo_where, user):
    """(the exact answer, the answer as ``user`` may see it: shield.locate_as), or Nones."""
    lat, lon, by = fields["lat"], fields["lon"], fields["located_by"]
    if not (fields["location_text"] or fields["landmarks"]):
        return None, None
    gps = by == LocatedBy.GPS and lat is not None
    query = dict(text=fields["location_text"], landmarks=fields["landmarks"],
                 lat=lat if gps else None, lon=lon if gps else None,
                 accuracy_m=fields["accuracy_m"] if gps else None,
                 photo_lat=photo_where[0] if photo_where else None,
                 photo_lon=photo_where[1] if photo_where else None)  # fmt: skip
    return locate(**query), locate_as(user, **query)


def _shielded_pin(pin: Point, result, shown) -> Point | None:
    """The exact landmark when ``pin`` is where the locator showed the submitter a staff-only
    landmark (its cell's centre, unmoved): the form places its pin at the answer it got (or at
    the candidate the resident picked), and the report must still be stored at the landmark
    itself. Of several candidates in the pin's cell, the first."""
    if result is None or shown is None or result.candidate is None or shown.candidate is None:
        return None
    for c in [result.candidate, *result.candidates]:
        public = public_point(c)
        if public is not None and Point(*public, srid=3857).distance(pin) <= 1.0:
            return Point(c.x, c.y, srid=3857)
    return None


def _place(fields, photo_where, errors, extra, user=None) -> Placed | None:
    lat, lon, by = fields["lat"], fields["lon"], fields["located_by"]
    landmarks = fields["landmarks"]
    result, shown = _locate(fields, photo_where, user)
    hint = _hint(result) if result is not None else {}
    seen = {"shown": _hint(shown)} if shown is not None else {}
    if lat is not None and by == LocatedBy.PIN:
        pin = to_3857(lon, lat)
        exact = _shielded_pin(pin, result, shown)
        if exact is not None:  # the pin the form put at a staff-only landmark's shielded cell
            return Placed(exact, LocatedBy.PIN, **hint, **seen, public_point=pin)
        return Placed(pin, LocatedBy.PIN, **hint, **seen)
    if result is not None and result.candidate and result.confidence >= locator_conf.CONFIDENT:
        c = result.candidate
        public = public_point(c)
        return Placed(Point(c.x, c.y, srid=3857),
                      LocatedBy.LANDMARKS if landmarks else LocatedBy.TEXT, **hint, **seen,
                      public_point=Point(*public, srid=3857) if public else None)  # fmt: skip
    if lat is not None:
        return Placed(to_3857(lon, lat), LocatedBy.GPS, **hint, **seen)
    if result is not None:
        answer = render(shown)
        extra["candidates"] = answer["candidates"]
        extra["question"], extra["choices"] = answer["question"], answer["choices"]
        errors["location"] = [result.explanation,
                              _("Місце не визначено впевнено: позначте його на мапі.")]  # fmt: skip
        return None
    if photo_where is not None:
        msgs = check_location(*photo_where)
        if msgs:
            errors["photos"] = [_("Фото зроблено поза межами громади.")]
            return None
        if not fields["use_photo_location"]:
            # A photo's EXIF place is only a suggestion: it may be where the resident stood
            # yesterday, and it is personal data. It is used once the resident confirms it.
            extra["suggested_location"] = {"lat": round(photo_where[0], 7),
                                           "lon": round(photo_where[1], 7), "source": "photo"}  # fmt: skip
            errors["location"] = [_("У фото є місце зйомки. Підтвердіть, що проблема там "
                                    "(use_photo_location), або позначте місце на мапі.")]  # fmt: skip
            return None
        return Placed(to_3857(photo_where[1], photo_where[0]), LocatedBy.PHOTO)
    errors["location"] = check_location(None, None)
    return None


def _check_fields(data, errors) -> dict:
    f = {}
    for key in ("description", "location_text", "name", "phone", "postal_address", "email"):
        value = data.get(key) or ""
        if not isinstance(value, str):
            errors[key] = [_("Має бути рядком.")]
            value = ""
        f[key] = value.strip()
    for key in ("description", "location_text", "name", "postal_address"):
        msgs = check_text(f[key], **({"limit": LIMITS[key]} if key in LIMITS else {}))
        if msgs:
            errors[key] = msgs
    if f["phone"] and not PHONE.match(f["phone"]):
        errors["phone"] = [_("Некоректний номер телефону.")]
    if f["email"]:
        try:
            validate_email(f["email"])
        except ValidationError:
            errors["email"] = [_("Некоректна адреса e-mail.")]
    f["is_appeal"] = is_yes(data.get("is_appeal", ""))
    f["use_photo_location"] = is_yes(data.get("use_photo_location", ""))
    if f["is_appeal"]:
        # Law of Ukraine "On Citizens' Appeals", art. 5: name and postal address are required.
        for key in ("name", "postal_address", "email"):
            if not f[key]:
                errors.setdefault(key, []).append(_("Обов'язкове для офіційного звернення."))
    f["lat"], f["lon"] = _float(data, "lat", errors), _float(data, "lon", errors)
    f["accuracy_m"] = _float(data, "accuracy_m", errors)
    if (f["lat"] is None) != (f["lon"] is None):
        errors["lat" if f["lat"] is None else "lon"] = [_("Потрібні обидві координати.")]
        f["lat"] = f["lon"] = None
    elif f["lat"] is not None and check_location(f["lat"], f["lon"]):
        errors["lat"] = check_location(f["lat"], f["lon"])
    f["located_by"] = data.get("located_by") or LocatedBy.PIN
    if f["located_by"] not in (LocatedBy.PIN, LocatedBy.GPS):
        errors["located_by"] = [_("Лише «pin» або «gps».")]
    f["landmarks"] = _landmarks(data, errors)
    return f


def submit(data, files=(), *, user=None, ip=None, api_key=None, source="web",
           sender=None) -> Report:  # fmt: skip
    """Validate ``data`` (a dict of the request's fields) and ``files`` (uploaded photos) and
    create the report; raise InvalidReport, abuse.Banned or RateLimited otherwise. ``sender``
    stands for the IP address in bans and rate limits when there is none (a messenger chat:
    "telegram:<chat id>")."""
    errors, extra = {}, {}
    if data.get(conf.HONEYPOT_FIELD):
        raise InvalidReport(_("Повідомлення не прийнято."),
                            errors={conf.HONEYPOT_FIELD: [_("Це поле має бути порожнім.")]})  # fmt: skip
    abuse.check_ban(sender or ip, str(data.get("email") or ""), user)
    abuse.charge_report(sender or ip, user, api_key)
    category = Category.objects.filter(code=str(data.get("category") or ""), is_active=True)
    category = category.select_related("department").first()
    if category is None:
        errors["category"] = [_("Невідома категорія.")]
    fields = _check_fields(data, errors)
    answers = _answers(data, errors)
    if category is not None and "answers" not in errors:
        answers, answer_errors = validate_answers(category.questions, answers)
        errors.update({f"answers.{k}": v for k, v in answer_errors.items()})
    cleaned, photo_where = _photos(list(files), errors)
    placed = None
    if not errors:
        placed = _place(fields, photo_where, errors, extra, user)
    if errors:
        raise InvalidReport(_("Повідомлення не прийнято: перевірте поля."), errors=errors, **extra)
    return _save(category, fields, answers, placed, cleaned, user, ip, source)


def _save(category, f, answers, placed, cleaned, user, ip, source) -> Report:
    now = timezone.now()
    target = route(category, placed.point)
    if f["is_appeal"]:
        deadline = appeal_deadline(now, category.appeal_days)
    else:
        deadline = now + timedelta(days=category.response_days)
    saved_files = []
    try:
        with transaction.atomic():
            report = Report.objects.create(
                category=category, location=placed.point, located_by=placed.located_by,
                public_location=placed.public_point,
                location_text=f["location_text"] or ", ".join(f["landmarks"]),
                locator_confidence=placed.confidence, locator_uncertainty_m=placed.uncertainty_m,
                locator_explanation=placed.explanation or "", description=f["description"],
                answers=answers, name=f["name"], email=f["email"], phone=f["phone"],
                is_appeal=f["is_appeal"], postal_address=f["postal_address"],
                user=user if user is not None and user.is_authenticated else None, ip=ip,
                source=source, department=target.department, dispatcher=target.dispatcher,
                deadline=deadline, created_at=now,
            )  # fmt: skip
            for i, jpeg in enumerate(cleaned, 1):
                photo = Photo(report=report)
                photo.image.save(f"{report.pk}-{i}.jpg", ContentFile(jpeg), save=False)
                saved_files.append(photo.image)
                photo.save()
        report.shown_locator = placed.shown  # the hint as the submitter may see it (not stored)
    except BaseException:
        for image in saved_files:
            image.storage.delete(image.name)
        raise
    return report
