"""Typed errors carrying their HTTP status and machine-readable code, and the DRF handler that
renders them (and DRF's own) as problem+json, never as a stack trace."""

from __future__ import annotations

from django.http import JsonResponse
from rest_framework.views import exception_handler

__all__ = ["PortalError", "api_exception_handler", "problem_response"]


class PortalError(Exception):
    """An error a client caused; ``status`` and ``code`` travel with it."""

    status = 400
    code = "bad-request"

    def __init__(self, detail: str, *, status: int | None = None, code: str | None = None, **extra):
        super().__init__(detail)
        self.detail = detail
        if status:
            self.status = status
        if code:
            self.code = code
        self.extra = extra


def problem_response(status: int, title: str, detail: str, code: str, **extra) -> JsonResponse:
    body = {
        "type": f"about:blank#{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    body.update(extra)
    return JsonResponse(
        body,
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


def api_exception_handler(exc, context):
    if isinstance(exc, PortalError):
        return problem_response(exc.status, exc.code, exc.detail, exc.code, **exc.extra)
    return exception_handler(exc, context)
