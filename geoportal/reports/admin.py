"""Admin of reports and their configuration (categories, departments, areas, bans, Open311
keys), with the GIS map widget for locations and service areas."""

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from .models import (
    ApiKey,
    Area,
    BannedSender,
    Category,
    Confirmation,
    Department,
    Photo,
    Report,  # fmt: skip
    ReportUpdate,
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


@admin.register(Report)
class ReportAdmin(GISModelAdmin):
    list_display = ("pk", "category", "status", "department", "dispatcher", "is_appeal",
                    "created_at", "deadline")  # fmt: skip
    list_filter = ("status", "category", "department", "is_appeal", "located_by")
    search_fields = ("pk", "description", "email", "name")
    readonly_fields = ("located_by", "location_text", "locator_confidence",
                       "locator_uncertainty_m", "locator_explanation", "ip", "source", "user",
                       "created_at", "updated_at")  # fmt: skip
    inlines = [PhotoInline, UpdateInline]


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
