"""REST representations of layers (metadata, schema, style) for the web map and API clients."""

from rest_framework import serializers

from .codelists import english_values
from .models import Layer


class LayerSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    tiles = serializers.SerializerMethodField()
    tilejson = serializers.SerializerMethodField()
    features = serializers.SerializerMethodField()
    attributes = serializers.SerializerMethodField()

    class Meta:
        model = Layer
        fields = [
            "slug", "title", "title_uk", "title_en", "category", "kind", "role",
            "geometry_type", "attributes",
            "style", "access", "min_zoom", "max_zoom", "is_basemap", "sort_order", "version",
            "feature_count", "extent", "licence", "attribution", "source", "data_updated_at",
            "tiles", "tilejson", "features",
        ]  # fmt: skip

    def get_attributes(self, layer) -> list[dict]:
        """The schema, each attribute with a code list carrying ``values_en`` (layers.codelists)."""
        out = []
        for attribute in layer.attributes:
            values = english_values(layer, attribute["name"])
            out.append({**attribute, "values_en": values} if values else attribute)
        return out

    def get_title(self, layer) -> str:
        request = self.context.get("request")
        return layer.title(getattr(request, "LANGUAGE_CODE", "uk"))

    def _url(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_tiles(self, layer) -> list[str]:
        if layer.is_raster:
            return [self._url(f"/tiles/raster/{layer.slug}/") + "{z}/{x}/{y}.png"]
        return [self._url(f"/tiles/{layer.slug}/") + "{z}/{x}/{y}.mvt"]

    def get_tilejson(self, layer) -> str:
        return self._url(f"/tiles/{layer.slug}.json")

    def get_features(self, layer) -> str | None:
        return None if layer.is_raster else self._url(f"/api/v1/layers/{layer.slug}/features/")
