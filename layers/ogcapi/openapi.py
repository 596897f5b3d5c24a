"""The OpenAPI 3.0 document of the OGC API - Features (/ogc/api): its paths and responses are
listed here, each operation's parameters are generated from parameters.PARAMETERS (the
declaration the parser reads requests with), so the document lists exactly what is accepted.
"""

from __future__ import annotations

from . import parameters as p

__all__ = ["PATHS", "document"]

#: (path, operation, summary, answer on success) of every documented operation.
PATHS = (
    ("/", p.LANDING, "Landing page", "landing page"),
    ("/conformance", p.CONFORMANCE, "Conformance classes", "conformance declaration"),
    ("/collections", p.COLLECTIONS, "Collections", "the collections the caller may see"),
    ("/collections/{collectionId}", p.COLLECTION, "Collection", "collection"),
    ("/collections/{collectionId}/queryables", p.QUERYABLES, "Queryables", "JSON Schema"),
    ("/collections/{collectionId}/items", p.ITEMS, "Features", "GeoJSON FeatureCollection"),
    ("/collections/{collectionId}/items/{featureId}", p.ITEM, "Feature", "GeoJSON Feature"),
)
PROBLEM = {"description": "problem+json", "content": {"application/problem+json": {}}}
GEOJSON = {"application/geo+json": {"schema": {"type": "object"}}}
PROPERTY_FILTERS = (
    " Any other query parameter is an equality filter on a queryable property"
    " (see /collections/{collectionId}/queryables): <property>=<value>."
)


def _operation(operation: str, summary: str, answer: str) -> dict:
    taken = p.taken_by(operation)
    ok = {"description": answer}
    if operation in (p.ITEMS, p.ITEM):
        ok["content"] = GEOJSON
    responses = {"200": ok}
    if any(parameter.where == "query" for parameter in taken):
        responses["400"] = PROBLEM
    if any(parameter.where == "path" for parameter in taken):
        responses["404"] = PROBLEM
    doc = {"operationId": operation, "summary": summary, "responses": responses}
    if operation in p.SELECTING:
        doc["description"] = summary + "." + PROPERTY_FILTERS
    if taken:
        doc["parameters"] = [parameter.openapi() for parameter in taken]
    return doc


def document(base: str, layers) -> dict:
    """The document for a caller who may see ``layers`` (named in its description)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Геопортал громади: OGC API - Features",
            "version": "1.0.0",
            "description": "Collections: " + ", ".join(layer.slug for layer in layers),
        },
        "servers": [{"url": base}],
        "paths": {path: {"get": _operation(*rest)} for path, *rest in PATHS},
    }
