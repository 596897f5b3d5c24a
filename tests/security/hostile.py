"""Shared pieces of the hostile-input tests: how many examples to run, what a response to
hostile input must never contain, and the WFS GetFeature request that carries a FES filter."""

from __future__ import annotations

import os
import re

import requests

# Examples per fuzzed operation; CI's `make test-long` runs a reduced number.
EXAMPLES = int(os.environ.get("GEOPORTAL_FUZZ_EXAMPLES", "200"))

# Signs that SQL, a driver message or a stack trace reached the client.
LEAK = re.compile(
    r"syntax error at or near|psycopg|Traceback \(most recent|django\.db\.|"
    r"\bSELECT\b[^<>]{1,200}\bFROM\b|layerdata\.|pg_catalog|ProgrammingError|DataError",
    re.IGNORECASE,
)


def assert_clean(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}\n{response.text[:500]}"
    leak = LEAK.search(response.text)
    assert not leak, f"{what}: response contains {leak[0]!r}\n{response.text[:500]}"


def wfs_get_feature(base: str, filter_xml: str, layer: str = "bus-stops", session=requests):
    """GET a WFS 2.0 GetFeature of five ``layer`` features with the FES ``filter_xml``."""
    return session.get(
        f"{base}/wfs",
        params={
            "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
            "TYPENAMES": layer, "COUNT": "5", "FILTER": filter_xml,
        },
        timeout=60,
    )  # fmt: skip
