"""The OpenAPI 3.0 description of the Open311 GeoReport v2 endpoints (/open311/v2/openapi.json):
what client generators, a chat bot's author and the schemathesis tests read. The endpoints and
parameters are those of the GeoReport v2 specification as this portal implements them
(open311_views.py); the format is the path's suffix, json or xml."""

from __future__ import annotations

__all__ = ["document"]

FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": ["json", "xml"]},
}
ERRORS = {
    "description": "The specification's error list: [{code, description}]",
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
                },
            }
        },
        "text/xml": {"schema": {"type": "string"}},
    },
}


# What a client that collects residents' contact data must tell them (the web form shows the
# same in reports/includes/privacy_notice.html).
PRIVACY_NOTICE = (
    "Personal data: first_name, last_name, email, phone and address_string are processed by "
    "the hromada only to handle the request and answer the resident; they are never published. "
    "They and the request's media are erased GEOPORTAL_REPORTS_RETENTION_DAYS days after the "
    "request is closed, or earlier at the resident's request. A client that collects them must "
    "show its users this notice before they submit."
)


def _ok(description: str, items: dict) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"type": "array", "items": items}},
            "text/xml": {"schema": {"type": "string"}},
        },
    }


def _query(name: str, description: str, **schema) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", **schema},
    }


SERVICE = {
    "type": "object",
    "properties": {
        "service_code": {"type": "string"},
        "service_name": {"type": "string"},
        "description": {"type": "string", "nullable": True},
        "metadata": {"type": "boolean"},
        "type": {"type": "string"},
        "keywords": {"type": "string", "nullable": True},
        "group": {"type": "string", "nullable": True},
    },
}
REQUEST = {
    "type": "object",
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "service_code": {"type": "string"},
        "lat": {"type": "number"},
        "long": {"type": "number"},
        "requested_datetime": {"type": "string"},
    },
}
NEW_REQUEST = {
    "type": "object",
    "required": ["api_key", "service_code"],
    "properties": {
        "api_key": {"type": "string"},
        "service_code": {"type": "string"},
        "lat": {"type": "number"},
        "long": {"type": "number"},
        "address_string": {"type": "string"},
        "description": {"type": "string"},
        "email": {"type": "string"},
        "phone": {"type": "string"},
        "first_name": {"type": "string"},
        "last_name": {"type": "string"},
    },
}


def _path_param(name: str, **schema) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", **schema}}


def _service_paths(errors: dict) -> dict:
    """GET services.{format} and services/{service_code}.{format}: the report categories."""
    return {
        "/services.{format}": {
            "get": {
                "operationId": "open311_services",
                "summary": "Service types (report categories)",
                "parameters": [FORMAT],
                "responses": {"200": _ok("The service list", SERVICE), **errors},
            }
        },
        "/services/{service_code}.{format}": {
            "get": {
                "operationId": "open311_service_definition",
                "summary": "The extra questions of one service",
                "parameters": [_path_param("service_code"), FORMAT],
                "responses": {"200": {"description": "The service definition"}, **errors},
            }
        },
    }


def _request_paths(errors: dict) -> dict:
    """requests.{format} (list, submit) and requests/{service_request_id}.{format}."""
    return {
        "/requests.{format}": {
            "get": {
                "operationId": "open311_requests",
                "summary": "Service requests (public fields only)",
                "parameters": [
                    FORMAT,
                    _query("service_request_id", "Request ids, comma-separated"),
                    _query("service_code", "Service codes, comma-separated"),
                    _query("start_date", "ISO 8601; default: 90 days ago"),
                    _query("end_date", "ISO 8601"),
                    _query("status", "open or closed, comma-separated"),
                ],
                "responses": {"200": _ok("Service requests", REQUEST), **errors},
            },
            "post": {
                "operationId": "open311_create_request",
                "summary": "Submit a service request (api_key required)",
                "description": PRIVACY_NOTICE,
                "parameters": [FORMAT],
                "requestBody": {
                    "required": True,
                    "content": {"application/x-www-form-urlencoded": {"schema": NEW_REQUEST}},
                },
                "responses": {"200": _ok("The new request's id", {"type": "object"}), **errors},
            },
        },
        "/requests/{service_request_id}.{format}": {
            "get": {
                "operationId": "open311_request",
                "summary": "One service request",
                "parameters": [_path_param("service_request_id", pattern="^[0-9]+$"), FORMAT],
                "responses": {"200": _ok("The request", REQUEST), **errors},
            }
        },
    }


def document() -> dict:
    errors = {str(code): ERRORS for code in (400, 403, 404, 429, 503)}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Open311 GeoReport v2",
            "version": "2",
            "description": "Service requests (reports of road and street-lighting problems) "
            "of the hromada: https://wiki.open311.org/GeoReport_v2",
        },
        "servers": [{"url": "/open311/v2"}],
        "paths": {**_service_paths(errors), **_request_paths(errors)},
    }
