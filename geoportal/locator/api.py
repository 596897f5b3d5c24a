"""POST /api/v1/locate: the locator over HTTP. Thin: validate, call resolve.locate, render.

400 problem+json with field errors for bad input; 422 (with any candidates) when nothing
could be located; 200 otherwise, also for ambiguous answers (low confidence + candidates).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import conf as portal_conf
from core.errors import PortalError
from layers.access import visible_layers
from layers.models import Layer

from . import conf
from .registry import source_config
from .resolve import locate

__all__ = ["LocateView"]


class LocateRequest(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, max_length=conf.MAX_TEXT, trim_whitespace=True
    )
    landmarks = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=20
    )
    lat = serializers.FloatField(required=False)
    lon = serializers.FloatField(required=False)
    accuracy_m = serializers.FloatField(required=False, min_value=0, max_value=100_000)
    photo_lat = serializers.FloatField(required=False)
    photo_lon = serializers.FloatField(required=False)
    sources = serializers.ListField(
        child=serializers.SlugField(max_length=48), required=False, max_length=50
    )

    def _in_extent(self, data, lat_key, lon_key, errors):
        lat, lon = data.get(lat_key), data.get(lon_key)
        if (lat is None) != (lon is None):
            errors[lat_key if lat is None else lon_key] = [_("Потрібні обидві координати.")]
            return
        if lat is None:
            return
        minlon, minlat, maxlon, maxlat = portal_conf.HROMADA["extent"]
        if not (minlat <= lat <= maxlat and minlon <= lon <= maxlon):
            errors[lat_key] = [_("Точка поза межами громади.")]

    def validate(self, data):
        errors = {}
        self._in_extent(data, "lat", "lon", errors)
        self._in_extent(data, "photo_lat", "photo_lon", errors)
        if not errors and not (
            (data.get("text") or "").strip()
            or data.get("landmarks")
            or data.get("lat") is not None
            or data.get("photo_lat") is not None
        ):
            errors["non_field_errors"] = [
                _("Вкажіть опис (text), орієнтири (landmarks) або координати (lat, lon).")
            ]
        if data.get("sources"):
            # Layers the caller may not see are "unknown" here too (never reveal they exist);
            # without ``sources`` every landmark source is searched, staff ones included.
            visible = visible_layers(self.context.get("user"))
            layers = {layer.slug: layer for layer in visible.filter(slug__in=data["sources"])}
            bad = [s for s in data["sources"] if s not in layers or not source_config(layers[s])]
            if bad:
                errors["sources"] = [
                    _("Не є джерелом орієнтирів: %(slugs)s") % {"slugs": ", ".join(bad)}
                ]
            data["source_ids"] = [layers[s].pk for s in data["sources"] if s in layers]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class PortalUser(BaseAuthentication):
    """The user the portal's middleware found (session, token or Basic), without DRF's CSRF
    check: residents post anonymously, and the locator changes nothing."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        return (user, None) if user is not None and user.is_authenticated else None


class LocateView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = [PortalUser]
    serializer_class = LocateRequest  # the request schema for drf-spectacular (its W002 otherwise)

    def post(self, request):
        if not isinstance(request.data, dict):
            raise PortalError(_("Очікується JSON-об'єкт."), code="invalid-body")
        form = LocateRequest(data=request.data, context={"user": request.user})
        if not form.is_valid():
            raise PortalError(
                _("Некоректний запит на визначення місця."), code="invalid", errors=form.errors
            )
        data = form.validated_data
        result = locate(
            text=data.get("text") or "",
            landmarks=data.get("landmarks"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            accuracy_m=data.get("accuracy_m"),
            photo_lat=data.get("photo_lat"),
            photo_lon=data.get("photo_lon"),
            sources=data.get("source_ids"),
        )
        body, status = render(result)
        if status != 200:
            return Response(body, status=status, content_type="application/problem+json")
        return Response(body, status=status)


def render(result) -> tuple[dict, int]:
    public = {pk for pk in Layer.objects.filter(access="public").values_list("pk", flat=True)}
    slugs = dict(Layer.objects.values_list("pk", "slug"))
    candidates = [c.as_dict(public, slugs) for c in result.candidates[:20]]
    best = result.candidate
    body = {
        "lat": None,
        "lon": None,
        "uncertainty_m": None,
        "confidence": result.confidence,
        "explanation": result.explanation,
        "evidence": result.evidence,
        "candidates": candidates,
        "ambiguous": result.ambiguous,
    }
    if best is None:
        body.update(
            {"type": "about:blank#not-located", "title": "not-located", "status": 422,
             "code": "not-located", "detail": result.explanation}
        )  # fmt: skip
        return body, 422
    point = best.as_dict(public, slugs)
    body.update(lat=point["lat"], lon=point["lon"], uncertainty_m=round(best.uncertainty_m, 1))
    return body, 200
