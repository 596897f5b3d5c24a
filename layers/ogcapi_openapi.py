"""The OGC API's own OpenAPI 3.0 document (/ogc/api), built from the visible collections."""

from __future__ import annotations

from .ogcapi import MAX_LIMIT
from .query import OFFERED_CRS


def _param(name, schema, description, required=False, where="query"):
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema,
    }


def openapi_document(base: str, layers) -> dict:
    items_params = [
        _param("collectionId", {"type": "string"}, "collection", True, "path"),
        _param("bbox", {"type": "array", "items": {"type": "number"}}, "minx,miny,maxx,maxy"),
        _param("bbox-crs", {"type": "string", "enum": OFFERED_CRS}, "CRS of bbox"),
        _param("crs", {"type": "string", "enum": OFFERED_CRS}, "output CRS"),
        _param(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10},
            "page size",
        ),
        _param("offset", {"type": "integer", "minimum": 0, "default": 0}, "page start"),
        _param("filter", {"type": "string"}, "CQL2 filter"),
        _param(
            "filter-lang", {"type": "string", "enum": ["cql2-text", "cql2-json"]}, "filter language"
        ),
        _param("sortby", {"type": "string"}, "+name,-area_ha"),
    ]
    problem = {"description": "problem+json", "content": {"application/problem+json": {}}}
    geojson = {"content": {"application/geo+json": {"schema": {"type": "object"}}}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Геопортал громади: OGC API - Features",
            "version": "1.0.0",
            "description": "Collections: " + ", ".join(layer.slug for layer in layers),
        },
        "servers": [{"url": base}],
        "paths": {
            "/": {"get": {"summary": "Landing page", "responses": {"200": {"description": "ok"}}}},
            "/conformance": {
                "get": {"summary": "Conformance", "responses": {"200": {"description": "ok"}}}
            },
            "/collections": {
                "get": {"summary": "Collections", "responses": {"200": {"description": "ok"}}}
            },
            "/collections/{collectionId}": {
                "get": {
                    "summary": "Collection",
                    "parameters": items_params[:1],
                    "responses": {"200": {"description": "ok"}, "404": problem},
                }
            },
            "/collections/{collectionId}/queryables": {
                "get": {
                    "summary": "Queryables",
                    "parameters": items_params[:1],
                    "responses": {"200": {"description": "ok"}, "404": problem},
                }
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "summary": "Features",
                    "parameters": items_params,
                    "responses": {
                        "200": {"description": "GeoJSON FeatureCollection", **geojson},
                        "400": problem,
                        "404": problem,
                    },
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "summary": "Feature",
                    "parameters": [
                        *items_params[:1],
                        _param("featureId", {"type": "integer"}, "fid", True, "path"),
                        items_params[3],
                    ],
                    "responses": {
                        "200": {"description": "GeoJSON Feature", **geojson},
                        "404": problem,
                    },
                }
            },
        },
    }
