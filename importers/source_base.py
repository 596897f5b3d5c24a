"""The reading interface every source implements (GDAL formats in sources.py, the cadastre
exchange file in cadastre_xml.py): ``read_info()`` and ``batches()`` of Arrow record batches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from . import conf

__all__ = ["BATCH_SIZE", "Source"]

BATCH_SIZE = conf.BATCH_SIZE


class Source:
    """A readable delivery. Subclasses must implement ``read_info`` and ``batches``."""

    def __init__(self, path: Path, options, label: str):
        self.path, self.options, self.label = path, options, label

    def read_info(self) -> dict:
        """pyogrio.read_info-like dict: fields, dtypes, geometry_type, crs, features, driver."""
        raise NotImplementedError

    def batches(self) -> Iterator[tuple[int, pa.RecordBatch, str]]:
        """Yield (number of the batch's first row, record batch, geometry column name)."""
        raise NotImplementedError

    @property
    def default_kind(self) -> str | None:
        return None
