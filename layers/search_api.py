"""GET /api/v1/search/?q=...&limit=10: thin HTTP wrapper over layers.search."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import PortalError

from .search import MAX_LIMIT, search


class SearchView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("limit", int, description=f"1..{MAX_LIMIT}, default 10"),
        ],
        responses={200: dict},
    )
    def get(self, request):
        try:
            limit = int(request.query_params.get("limit", 10))
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_LIMIT:
            raise PortalError(
                _("limit має бути цілим числом від 1 до %(max)s") % {"max": MAX_LIMIT},
                status=400,
                code="invalid_limit",
            )
        return Response(search(request.user, request.query_params.get("q", ""), limit))
