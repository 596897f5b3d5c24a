"""Structured logs: one JSON object per line (for Loki, journald, ELK), and the request id of
the current request on every record logged while it is served.

``RequestContextFilter`` copies the id from a context variable set by
``geoportal.ops.middleware.RequestLogMiddleware``; ``JsonFormatter`` writes the standard fields
plus everything passed in ``extra=``.
"""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime

__all__ = ["JsonFormatter", "RequestContextFilter", "request_id_var"]

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "geoportal_request_id", default=None
)

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and value is not None:
                doc[key] = value
        if record.exc_info:
            doc["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False, default=str)
