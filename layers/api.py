"""REST API of the layer registry: list layers the caller may see, and their features.

Views are thin: visibility comes from layers.access, queries from layers.query.
"""

from django.http import Http404
from rest_framework import generics

from .access import visible_layers
from .serializers import LayerSerializer


class LayerList(generics.ListAPIView):
    serializer_class = LayerSerializer
    pagination_class = None

    def get_queryset(self):
        return visible_layers(self.request.user)


class LayerDetail(generics.RetrieveAPIView):
    serializer_class = LayerSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return visible_layers(self.request.user)


def get_visible_layer(request, slug):
    """The layer ``slug`` if the caller may see it; 404 otherwise (never reveal it exists)."""
    layer = visible_layers(request.user).filter(slug=slug).first()
    if layer is None:
        raise Http404(f"no layer {slug!r}")
    return layer
