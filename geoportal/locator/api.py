"""POST /api/v1/locate: the locator over HTTP. Thin: validate, call resolve.locate, render
(answer.render).

400 problem+json with field errors for bad input; 422 (answer.NotLocated, with the same body)
when nothing could be located; 200 otherwise, also for ambiguous answers (low confidence +
candidates).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import conf as portal_conf
from core.errors import PortalError
from geoportal.accounts.authentication import PortalUser
from layers.access import visible_layers

from . import conf
from .answer import NotLocated, render
from .registry import source_config
from .shield import locate_as

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
        result = locate_as(
            request.user,
            text=data.get("text") or "",
            landmarks=data.get("landmarks"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            accuracy_m=data.get("accuracy_m"),
            photo_lat=data.get("photo_lat"),
            photo_lon=data.get("photo_lon"),
            sources=data.get("source_ids"),
        )
        body = render(result)
        if result.candidate is None:
            raise NotLocated(result.explanation, **body)
        return Response(body)
