"""Admin view of import runs (read-only history)."""

from django.contrib import admin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "layer_slug",
        "file_name",
        "status",
        "features_imported",
        "features_rejected",
        "started_at",
        "user",
    )
    list_filter = ("status",)
    search_fields = ("layer_slug", "file_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
