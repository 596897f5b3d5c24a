"""Admin of imports: the read-only history, a link to the staff upload page, and an action that
rolls a layer back to the version before a chosen import."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.errors import PortalError

from .models import ImportRun
from .versions import rollback


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "layer_slug",
        "file_name",
        "status",
        "features_imported",
        "features_rejected",
        "layer_version",
        "started_at",
        "user",
    )
    list_filter = ("status",)
    search_fields = ("layer_slug", "file_name")
    actions = ["rollback_layer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "upload_url": reverse("importers-upload")}
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Відкотити шар до версії перед цим імпортом"))
    def rollback_layer(self, request, queryset):
        for run in queryset.exclude(layer_version=None):
            try:
                layer = rollback(run.layer_slug, run.layer_version - 1, user=request.user)
            except PortalError as exc:
                self.message_user(request, exc.detail, messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{layer.slug}: {layer.feature_count} / v{layer.version}",
                    messages.SUCCESS,
                )
