"""Admin of the landmark registry: read-only lists for checking what the locator knows."""

from django.contrib import admin

from .models import Landmark, LandmarkSource


@admin.register(Landmark)
class LandmarkAdmin(admin.ModelAdmin):
    list_display = ("ref", "kind", "street", "settlement", "layer")
    list_filter = ("kind", "settlement", "layer")
    search_fields = ("ref", "ref_norm", "street")
    readonly_fields = [f.name for f in Landmark._meta.fields]

    def has_add_permission(self, request):
        return False  # rows come from the source layers (manage.py build_landmarks)


@admin.register(LandmarkSource)
class LandmarkSourceAdmin(admin.ModelAdmin):
    list_display = ("layer", "version", "config", "count", "built_at")
    readonly_fields = ("layer", "version", "config", "count", "built_at")

    def has_add_permission(self, request):
        return False
