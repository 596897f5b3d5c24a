"""Admin of the layer registry for staff: metadata, role, access, style; features stay in
PostGIS."""

from django.contrib import admin

from .models import Layer


@admin.register(Layer)
class LayerAdmin(admin.ModelAdmin):
    list_display = (
        "slug",
        "title_uk",
        "role",
        "category",
        "geometry_type",
        "access",
        "feature_count",
        "version",
        "data_updated_at",
    )
    list_filter = ("role", "category", "access", "kind", "is_basemap")
    list_editable = ("role",)  # one layer per role: the form says so when another has it
    search_fields = ("slug", "title_uk", "title_en")
    filter_horizontal = ("groups",)
    readonly_fields = ("version", "feature_count", "extent", "source_file", "source_checksum", "source_crs",
                       "created_at", "updated_at", "data_updated_at", "updated_by", "raster_path")  # fmt: skip

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
