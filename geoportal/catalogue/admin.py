"""Admin of the layers' metadata for staff: the ISO 19115 fields grouped as the NSDI order's
metadata requirements list them; the record (pycsw's columns) is read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Metadata, Record


@admin.register(Metadata)
class MetadataAdmin(admin.ModelAdmin):
    list_display = ("layer", "nsdi_theme", "topic_category", "status", "updated_at")
    list_filter = ("nsdi_theme", "topic_category", "status", "layer__access")
    search_fields = ("layer__title_uk", "layer__title_en", "keywords_uk", "keywords_en")
    readonly_fields = ("identifier", "updated_at")
    fieldsets = (
        (None, {"fields": ("layer", "identifier")}),
        (
            _("Класифікація"),
            {"fields": ("keywords_uk", "keywords_en", "nsdi_theme", "topic_category")},
        ),
        (
            _("Відповідальна організація"),
            {
                "fields": (
                    "organisation_uk",
                    "organisation_en",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                )
            },
        ),
        (_("Дати"), {"fields": ("date_creation", "date_publication", "updated_at")}),
        (
            _("Якість"),
            {"fields": ("lineage_uk", "lineage_en", "scale_denominator", "resolution_m")},
        ),
        (_("Супровід"), {"fields": ("update_frequency", "status")}),
    )


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ("identifier", "layer_slug", "title", "date_revision")
    search_fields = ("title", "anytext")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
