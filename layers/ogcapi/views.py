"""The views of the OGC API - Features at /ogc/: Part 1 Core (landing page, conformance,
collections, collection, items, item; GeoJSON, and HTML pages for f=html or a browser),
Part 2 CRS (crs, bbox-crs) and Part 3 Filtering (CQL2 text/JSON, queryables), and the
OpenAPI document. Collections are the vector layers the caller may see (layers.access).

Each view reads its request with parameters.parse (the declared parameters), selects, and
answers through output. Errors are PortalErrors, written as problem+json by
core.errors.ErrorMiddleware; no view renders one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views import View

from core.ratelimit import charge

from . import openapi, output, parameters
from .parameters import parse

__all__ = [
    "Collection",
    "Collections",
    "Conformance",
    "Item",
    "Items",
    "Landing",
    "OpenAPI",
    "Queryables",
]


class OGCView(View):
    operation: str  # the operation of parameters.OPERATIONS the view answers


class Landing(OGCView):
    operation = parameters.LANDING

    def get(self, request):
        query = parse(request, self.operation)
        doc = output.landing(output.base_url(request))
        return output.document(request, query, doc, doc["title"])


class Conformance(OGCView):
    operation = parameters.CONFORMANCE

    def get(self, request):
        parse(request, self.operation)
        return output.json_response(output.conformance())


class Collections(OGCView):
    operation = parameters.COLLECTIONS

    def get(self, request):
        query = parse(request, self.operation)
        layers = parameters.collections(request.user)
        doc = output.collections(output.base_url(request), layers)
        return output.document(request, query, doc, _("Колекції"))


class Collection(OGCView):
    operation = parameters.COLLECTION

    def get(self, request, collection_id):
        query = parse(request, self.operation, collectionId=collection_id)
        doc = output.collection(output.base_url(request), query.layer)
        return output.document(request, query, doc, doc["title"])


class Queryables(OGCView):
    operation = parameters.QUERYABLES

    def get(self, request, collection_id):
        query = parse(request, self.operation, collectionId=collection_id)
        doc = output.queryables(output.base_url(request), query.layer)
        return output.json_response(doc, content_type="application/schema+json")


class Items(OGCView):
    operation = parameters.ITEMS

    def get(self, request, collection_id):
        query = parse(request, self.operation, collectionId=collection_id)
        if query.cost:
            charge(request, query.cost)
        return output.items(request, query)


class Item(OGCView):
    operation = parameters.ITEM

    def get(self, request, collection_id, feature_id):
        query = parse(request, self.operation, collectionId=collection_id, featureId=feature_id)
        return output.item(query)


class OpenAPI(OGCView):
    def get(self, request):
        layers = parameters.collections(request.user)
        doc = openapi.document(output.base_url(request), layers)
        return output.json_response(doc, "application/vnd.oai.openapi+json;version=3.0")
