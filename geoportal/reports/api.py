"""Report API under /api/v1/reports (see geoportal/reports/README.md). Thin: parse the request,
call intake / public / workflow, render JSON; errors are problem+json with field errors."""

from __future__ import annotations

from django.contrib.gis.measure import D
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.clientip import client_ip
from core.errors import PortalError
from geoportal.accounts.authentication import PortalUser
from geoportal.locator import geo

from . import conf, intake, public, workflow
from .models import (
    OPEN_STATUSES,
    Category,
    Confirmation,
    Department,
    Report,
    ResponseTemplate,
    Subscription,
)
from .validation import is_yes

__all__ = ["ReportsView", "NearbyView", "ReportView", "ConfirmView", "SubscribeView",
           "StatusView", "AssignView", "ModerateView"]  # fmt: skip

OBJ = {200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT}


def _fields(request) -> dict:
    data = request.data
    if hasattr(data, "getlist"):  # multipart / form: lists by repetition
        out = {k: data.get(k) for k in data.keys()}
        out["landmarks"] = [x for x in data.getlist("landmarks") if x]
        return out
    if not isinstance(data, dict):
        raise PortalError(_("Очікується JSON-об'єкт."), code="invalid-body")
    return data


class ReportsView(APIView):
    """GET: public GeoJSON of reports; POST: a new report (JSON, or multipart with photos)."""

    permission_classes = [AllowAny]
    authentication_classes = [PortalUser]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Public reports as GeoJSON (EPSG:4326), public fields only", operation_id="reports_list",
        parameters=[OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat"),
                    OpenApiParameter("category", str), OpenApiParameter("status", str)],
        responses=OBJ,
    )  # fmt: skip
    def get(self, request):
        rows = public.public_reports(bbox=request.GET.get("bbox"),
                                     category=request.GET.get("category"),
                                     status=request.GET.get("status"))  # fmt: skip
        return Response(public.feature_collection(rows))

    @extend_schema(
        summary="Submit a report",
        operation_id="reports_create",
        request=OpenApiTypes.OBJECT,
        responses=OBJ,
    )
    def post(self, request):
        files = request.FILES.getlist("photos") + request.FILES.getlist("photo")
        report = intake.submit(_fields(request), files, user=request.user, ip=client_ip(request))
        body = public.public_detail(report.pk)
        body["located_by"] = report.located_by
        # as the submitter may see it: of a staff-only landmark, nothing finer than its cell
        body["locator"] = getattr(report, "shown_locator", None) or {
            "confidence": report.locator_confidence, "uncertainty_m": report.locator_uncertainty_m,
            "explanation": report.locator_explanation}  # fmt: skip
        return Response(body, status=201)


class ReportsAliasView(ReportsView):
    """/api/v1/reports/ (with the slash): the same view, documented once."""

    schema = None


class PortalUserScheme(OpenApiAuthenticationExtension):
    """Documents the portal's session/token/Basic user as seen by residents' endpoints."""

    target_class = "geoportal.accounts.authentication.PortalUser"
    name = "portalUser"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Optional: Token <key>, Basic, or the session cookie."}  # fmt: skip


class NearbyView(APIView):
    """Open reports of the same category near a point: "already reported?"."""

    permission_classes = [AllowAny]
    authentication_classes = [PortalUser]

    @extend_schema(
        summary="Open reports of a category near a point", operation_id="reports_nearby",
        parameters=[OpenApiParameter("lat", float, required=True),
                    OpenApiParameter("lon", float, required=True),
                    OpenApiParameter("category", str)],
        responses=OBJ,
    )  # fmt: skip
    def get(self, request):
        errors = {}
        try:
            lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
        except (KeyError, ValueError):
            errors["lat"] = [_("Потрібні числа lat і lon.")]
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also NaN
                errors["lat"] = [_("lat від -90 до 90, lon від -180 до 180 (WGS 84).")]
        category = request.GET.get("category")
        if category and not Category.objects.filter(code=category).exists():
            errors["category"] = [_("Невідома категорія.")]
        if errors:
            raise PortalError(_("Некоректний запит."), code="invalid", errors=errors)
        point = intake.to_3857(lon, lat)
        rows = public.public_reports(category=category).filter(
            status__in=OPEN_STATUSES,
            # 3857 metres are longer than ground metres by 1/cos(lat): the locator's own factor;
            # the public point, or probing with many points would find a shielded report's place
            public_point__dwithin=(point, D(m=conf.NEARBY_RADIUS_M * geo.mpp())),
        )[:20]
        return Response({"reports": [public.report_dict(r) for r in rows]})


class ReportView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = [PortalUser]

    @extend_schema(
        summary="One report, public fields only", operation_id="reports_detail", responses=OBJ
    )
    def get(self, request, pk: int):
        body = public.public_detail(pk)
        if body is None:
            raise PortalError(_("Повідомлення не знайдено."), status=404, code="not-found")
        return Response(body)


class ConfirmView(APIView):
    """ "I see it too": one confirmation per account or IP address."""

    permission_classes = [AllowAny]
    authentication_classes = [PortalUser]

    @extend_schema(
        summary="Confirm an open report",
        operation_id="reports_confirm",
        request=None,
        responses=OBJ,
    )
    def post(self, request, pk: int):
        report = get_object_or_404(Report, pk=pk)
        if not report.is_open:
            raise PortalError(_("Повідомлення вже закрите."), status=409, code="closed")
        user = request.user
        fp = f"user:{user.pk}" if user.is_authenticated else f"ip:{client_ip(request)}"
        try:
            with transaction.atomic():
                Confirmation.objects.create(report=report, fingerprint=fp)
            created = True
        except IntegrityError:
            created = False
        count = report.confirmations.count()
        return Response({"id": report.pk, "confirmations": count, "added": created},
                        status=201 if created else 200)  # fmt: skip


class SubscribeView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = [PortalUser]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(summary="Subscribe an e-mail to status changes", operation_id="reports_subscribe", request=OpenApiTypes.OBJECT,
                   responses=OBJ)  # fmt: skip
    def post(self, request, pk: int):
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        report = get_object_or_404(Report, pk=pk)
        email = str(_fields(request).get("email") or "").strip()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise PortalError(_("Некоректна адреса e-mail."), code="invalid",
                              errors={"email": [_("Некоректна адреса e-mail.")]}) from exc  # fmt: skip
        _sub, created = Subscription.objects.get_or_create(report=report, email=email)
        return Response({"id": report.pk, "subscribed": True}, status=201 if created else 200)


class StaffView(APIView):
    """Staff actions: the default DRF authentication (token, or session with CSRF)."""

    permission_classes = [AllowAny]  # workflow checks is_staff on every path

    def report(self, pk):
        return get_object_or_404(Report.objects.select_related("category"), pk=pk)


class StatusView(StaffView):
    @extend_schema(
        summary="Change the status (staff)",
        operation_id="reports_status",
        request=OpenApiTypes.OBJECT,
        responses=OBJ,
    )
    def post(self, request, pk: int):
        data = _fields(request)
        original = None
        if data.get("duplicate_of") not in (None, ""):
            original = Report.objects.filter(pk=_int(data["duplicate_of"], "duplicate_of")).first()
            if original is None:
                raise workflow.InvalidChange(_("Зміну стану не прийнято."),
                                             errors={"duplicate_of": [_("Немає такого повідомлення.")]})  # fmt: skip
        template = None
        if data.get("template"):
            template = ResponseTemplate.objects.filter(code=str(data["template"])).first()
            if template is None:
                raise workflow.InvalidChange(_("Зміну стану не прийнято."),
                                             errors={"template": [_("Немає такого шаблону.")]})  # fmt: skip
        update = workflow.change_status(self.report(pk), str(data.get("status") or ""),
                                        user=request.user, note=str(data.get("note") or ""),
                                        duplicate_of=original, template=template)  # fmt: skip
        return Response({"id": pk, "status": update.status, "update": update.pk})


def _int(value, field):
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise PortalError(_("Некоректний запит."), code="invalid",
                          errors={field: [_("Має бути цілим числом.")]}) from exc  # fmt: skip


def _ids(value, field) -> list[int]:
    """A list of photo ids (absent: none); anything else is the field's 400."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PortalError(_("Некоректний запит."), code="invalid",
                          errors={field: [_("Має бути списком цілих чисел.")]})  # fmt: skip
    return [_int(x, field) for x in value]


class AssignView(StaffView):
    @extend_schema(summary="Reassign to a department (staff)", operation_id="reports_assign", request=OpenApiTypes.OBJECT,
                   responses=OBJ)  # fmt: skip
    def post(self, request, pk: int):
        from django.contrib.auth import get_user_model

        data = _fields(request)
        report = self.report(pk)
        workflow._staff(request.user)
        department = Department.objects.filter(code=str(data.get("department") or "")).first()
        errors = {} if department else {"department": [_("Невідомий підрозділ.")]}
        dispatcher = None
        if data.get("dispatcher"):
            dispatcher = get_user_model().objects.filter(username=data["dispatcher"],
                                                         is_staff=True).first()  # fmt: skip
            if dispatcher is None:
                errors["dispatcher"] = [_("Немає такого працівника.")]
        if errors:
            raise workflow.InvalidChange(_("Призначення не прийнято."), errors=errors)
        workflow.reassign(report, department, user=request.user, dispatcher=dispatcher,
                          note=str(data.get("note") or ""))  # fmt: skip
        return Response({"id": pk, "department": department.code,
                         "dispatcher": report.dispatcher.username if report.dispatcher else None})  # fmt: skip


class ModerateView(StaffView):
    @extend_schema(summary="Hide or show text and photos (staff)", operation_id="reports_moderate", request=OpenApiTypes.OBJECT,
                   responses=OBJ)  # fmt: skip
    def post(self, request, pk: int):
        data = _fields(request)
        hide = data.get("hide_description")
        workflow.moderate(self.report(pk), user=request.user,
                          hide_description=None if hide is None else is_yes(hide),
                          hide_photos=_ids(data.get("hide_photos"), "hide_photos"),
                          show_photos=_ids(data.get("show_photos"), "show_photos"),
                          note=str(data.get("note") or ""))  # fmt: skip
        return Response(public.public_detail(pk))
