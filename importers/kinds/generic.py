"""The generic kind: the schema is the file's, nothing is checked beyond geometry hygiene."""

from __future__ import annotations

from .base import Batch, Kind

__all__ = ["GenericKind"]


class GenericKind(Kind):
    name = "generic"

    def schema(self, attributes):
        return attributes, {}

    def check(self, batch: Batch, report):
        return {}
