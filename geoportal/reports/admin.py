"""Admin of reports and their configuration (categories, departments, areas, bans, Open311
keys), with the GIS map widget for locations and service areas."""

from django import forms
from django.contrib import admin, messages
from django.contrib.gis.admin import GISModelAdmin
from django.utils.translation import gettext_lazy as _

from . import privacy, workflow
from .models import (
    ApiKey,
    Area,
    BannedSender,
    Category,
    Confirmation,
    Department,
    ErasureRecord,
    Photo,
    Report,
    ReportUpdate,
    ResponseTemplate,
    Subscription,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name_uk", "code", "email", "dispatcher")
    search_fields = ("name_uk", "code")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("title_uk", "code", "department", "response_days", "appeal_days", "is_active")
    list_filter = ("department", "is_active")
    search_fields = ("title_uk", "code")


@admin.register(Area)
class AreaAdmin(GISModelAdmin):
    list_display = ("name", "department", "dispatcher")
    list_filter = ("department",)
    filter_horizontal = ("categories",)


class UpdateInline(admin.TabularInline):
    model = ReportUpdate
    extra = 0
    readonly_fields = ("created_at", "user", "old_status", "status", "department")


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ("image", "hidden")
    readonly_fields = ("image",)


class ReportForm(forms.ModelForm):
    note = forms.CharField(label=_("Публічна примітка до зміни"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    template = forms.ModelChoiceField(ResponseTemplate.objects.all(), required=False,
                                      label=_("Шаблон відповіді"))  # fmt: skip

    class Meta:
        model = Report
        fields = ["category", "location", "description", "answers", "name", "email", "phone",
                  "is_appeal", "postal_address", "status", "duplicate_of", "department",
                  "dispatcher", "deadline", "description_hidden"]  # fmt: skip


@admin.register(Report)
class ReportAdmin(GISModelAdmin):
    """Status and department changes go through the workflow (ReportUpdate, e-mail)."""

    form = ReportForm
    list_display = ("pk", "category", "status", "department", "dispatcher", "is_appeal",
                    "created_at", "deadline")  # fmt: skip
    list_filter = ("status", "category", "department", "is_appeal", "located_by")
    search_fields = ("pk", "description", "email", "name")
    readonly_fields = ("located_by", "location_text", "locator_confidence",
                       "locator_uncertainty_m", "locator_explanation", "ip", "source", "user",
                       "created_at", "updated_at", "description_original")  # fmt: skip
    inlines = [PhotoInline, UpdateInline]
    actions = ["erase_personal_data"]

    @admin.action(description=_("Видалити персональні дані заявника (на його вимогу)"))
    def erase_personal_data(self, request, queryset):
        for report in queryset:
            privacy.erase_personal_data(
                report, reason=ErasureRecord.Reason.REQUEST, by=request.user
            )
        messages.success(
            request, _("Персональні дані видалено з %(n)d повідомлень.") % {"n": queryset.count()}
        )

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        old = Report.objects.get(pk=obj.pk)
        status, department = obj.status, obj.department
        obj.status, obj.duplicate_of, obj.department = old.status, old.duplicate_of, old.department
        super().save_model(request, obj, form, change)
        note = form.cleaned_data.get("note") or ""
        try:
            if department != old.department and department is not None:
                chosen = obj.dispatcher if obj.dispatcher_id != old.dispatcher_id else None
                workflow.reassign(obj, department, user=request.user, dispatcher=chosen,
                                  note="" if status != old.status else note)  # fmt: skip
            if status != old.status:
                original = form.cleaned_data.get("duplicate_of")
                workflow.change_status(obj, status, user=request.user, note=note,
                                       duplicate_of=original,
                                       template=form.cleaned_data.get("template"))  # fmt: skip
        except workflow.InvalidChange as exc:
            errors = exc.extra.get("errors", {})
            messages.error(request, "; ".join(m for ms in errors.values() for m in ms))


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "status")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("report", "email", "created_at")


@admin.register(Confirmation)
class ConfirmationAdmin(admin.ModelAdmin):
    list_display = ("report", "created_at")


@admin.register(BannedSender)
class BannedSenderAdmin(admin.ModelAdmin):
    list_display = ("kind", "value", "reason", "until", "created_at")
    list_filter = ("kind",)
    search_fields = ("value",)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "is_active", "created_at")


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """The audit trail: read only, never edited or deleted from the admin."""

    list_display = ("report_id", "reason", "erased_by", "photos_removed", "created_at")
    list_filter = ("reason",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
