"""Run a generator one step ahead in a thread: the import prepares batch n+1 (GDAL read,
pyproj, GEOS, Arrow CSV: all release the GIL) while COPY sends batch n to PostgreSQL."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["prefetch"]

T = TypeVar("T")
_DONE = object()


def prefetch(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield what ``items`` yields, computed ahead in a worker thread; its exceptions are
    re-raised here. Leaving the loop early (an error, a cancel) stops the worker."""
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry) -> bool:
        while not stop.is_set():
            try:
                slots.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work():
        try:
            for item in items:
                if not put((True, item)):
                    items.close()  # the consumer left: close the reader in this thread
                    return
            put((True, _DONE))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            put((False, exc))

    worker = threading.Thread(target=work, name="import-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            ok, item = slots.get()
            if not ok:
                raise item
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        worker.join(timeout=10)
