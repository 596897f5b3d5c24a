"""Inspections from the field: an inspector (a user with ``conditions.add_inspection``) sets
a pole's lamp state or a segment's surface condition, with a photo. The client's idempotency
key makes a resent inspection (an offline queue retrying after a lost answer) the same one:
the first is kept and answered again, nothing is applied twice."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import validation
from core.errors import NotFound, PortalError
from geoportal.reports import photos

from . import publish
from .models import Condition, Inspection, LampState, Pole, Segment
from .registers import set_lamp_state

__all__ = ["PERMISSION", "InvalidInspection", "record"]

PERMISSION = "conditions.add_inspection"
KEY_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class InvalidInspection(PortalError):
    code = "invalid"


class Forbidden(PortalError):
    status = 403
    code = "forbidden"


def _check(data, files) -> tuple[dict, dict]:
    errors, out = {}, {}
    key = str(data.get("key") or "")
    if not (8 <= len(key) <= 64) or not set(key) <= KEY_CHARS:
        errors["key"] = [_("Ключ: 8-64 латинські літери, цифри, - або _.")]
    out["key"] = key
    kind, ident = data.get("asset"), data.get("id")
    try:
        out["id"] = int(validation.parse_number(ident, "id", integer=True, minimum=1))
    except PortalError:
        errors["id"] = [_("Номер об'єкта — ціле число.")]
    if kind == "pole":
        if data.get("state") not in LampState.values:
            errors["state"] = [_("Невідомий стан ліхтаря.")]
    elif kind == "segment":
        if data.get("condition") not in Condition.values:
            errors["condition"] = [_("Невідомий стан покриття.")]
    else:
        errors["asset"] = [_("Лише «pole» або «segment».")]
    out.update(asset=kind, state=data.get("state") or "", condition=data.get("condition") or "")
    for name, limit in (("note", 2000), ("surface", 60)):
        try:
            out[name] = validation.clean_text(data.get(name, ""), name, limit=limit).strip()
        except PortalError as exc:
            errors[name] = [exc.detail]
    out["observed_at"] = timezone.now()
    if data.get("observed_at"):
        try:
            at = validation.parse_date_or_datetime(data["observed_at"], "observed_at")
            if (
                not hasattr(at, "hour")
                or timezone.is_naive(at)
                or at > timezone.now() + timedelta(minutes=5)
            ):
                raise PortalError("future", code="invalid")
            out["observed_at"] = at
        except PortalError:
            errors["observed_at"] = [_("Час огляду: дата і час з поясом, не в майбутньому.")]
    photo = files.get("photo")
    out["photo"] = None
    if photo is not None:
        if photo.size > photos.MAX_BYTES:
            errors["photo"] = [_("Фото завелике.")]
        else:
            try:
                out["photo"] = photos.clean_photo(photo.read())
            except photos.PhotoError as exc:
                errors["photo"] = [str(exc)]
    return out, errors


def record(user, data, files) -> tuple[Inspection, bool]:
    """(the inspection, created now?) for a request's fields and files."""
    if user is None or not user.is_authenticated or not user.has_perm(PERMISSION):
        raise Forbidden(_("Огляди вносять лише інспектори."))
    found = Inspection.objects.filter(key=str(data.get("key") or "")).first()
    if found is not None:
        if found.inspector_id != user.pk:
            raise InvalidInspection(_("Цей ключ уже використано."), status=409, code="conflict")
        return found, False
    f, errors = _check(data, files)
    if errors:
        raise InvalidInspection(_("Огляд не прийнято: перевірте поля."), errors=errors)
    model = Pole if f["asset"] == "pole" else Segment
    asset = model.objects.filter(pk=f["id"]).first()
    if asset is None:
        raise NotFound(_("Немає такого об'єкта."))
    try:
        with transaction.atomic():
            return _save(user, f, asset), True
    except IntegrityError:  # the same key sent twice at once: the first one won
        return Inspection.objects.get(key=f["key"]), False


def _save(user, f, asset) -> Inspection:
    inspection = Inspection(key=f["key"], inspector=user, observed_at=f["observed_at"], note=f["note"],
                            state=f["state"] if f["asset"] == "pole" else "",
                            condition=f["condition"] if f["asset"] == "segment" else "",
                            surface=f["surface"], **{f["asset"]: asset})  # fmt: skip
    if f["photo"]:
        inspection.photo.save(f"{f['key']}.jpg", ContentFile(f["photo"]), save=False)
    inspection.save()
    if f["asset"] == "pole":
        set_lamp_state(asset, f["state"], inspection=inspection, at=f["observed_at"])
    else:
        asset.condition = f["condition"]
        asset.surface = f["surface"] or asset.surface
        asset.last_inspection = timezone.localdate(f["observed_at"])
        asset.save(update_fields=["condition", "surface", "last_inspection"])
        publish.roads()
    return inspection
