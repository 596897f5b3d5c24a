"""Admin of the condition registers and outages: staff enter outages here (an area drawn on
the map, or a list of streets and house numbers resolved to one on save); poles show their
history; inspections are read-only records."""

from django import forms
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.utils.translation import gettext_lazy as _

from . import publish
from .models import Inspection, Outage, Pole, PoleEvent, Segment
from .outages import AddressError, resolve_area


class OutageForm(forms.ModelForm):
    class Meta:
        model = Outage
        fields = [
            "service",
            "kind",
            "starts_at",
            "ends_at",
            "addresses",
            "area",
            "reason",
            "contact",
        ]

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("Кінець має бути пізніше за початок."))
        if data.get("addresses", "").strip() and not data.get("area"):
            try:
                data["area"] = resolve_area(data["addresses"])
            except AddressError as exc:
                self.add_error(
                    "addresses", exc.extra.get("errors", {}).get("addresses") or exc.detail
                )
        elif not data.get("area"):
            self.add_error("area", _("Намалюйте територію або вкажіть адреси."))
        return data


@admin.register(Outage)
class OutageAdmin(GISModelAdmin):
    form = OutageForm
    list_display = ["service", "kind", "starts_at", "ends_at", "reason"]
    list_filter = ["service", "kind"]
    date_hierarchy = "starts_at"


class PoleEventInline(admin.TabularInline):
    model = PoleEvent
    extra = 0
    readonly_fields = ["at", "old_state", "state", "report", "inspection"]
    can_delete = False


@admin.register(Pole)
class PoleAdmin(GISModelAdmin):
    list_display = ["number", "street", "settlement", "state", "state_since"]
    list_filter = ["state", "settlement"]
    search_fields = ["number", "street"]
    readonly_fields = ["state", "state_since"]
    inlines = [PoleEventInline]


@admin.register(Segment)
class SegmentAdmin(GISModelAdmin):
    list_display = ["street", "part", "settlement", "surface", "condition", "last_inspection",
                    "planned_repair_year"]  # fmt: skip
    list_filter = ["condition", "settlement"]
    search_fields = ["street"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        publish.roads()


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["observed_at", "pole", "segment", "state", "condition", "inspector"]
    readonly_fields = [f.name for f in Inspection._meta.fields]
