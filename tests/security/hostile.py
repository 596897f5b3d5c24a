"""Shared pieces of the hostile-input tests: how many examples to run, and what a response to
hostile input must never contain."""

from __future__ import annotations

import os
import re

# Examples per fuzzed operation; CI's `make test-long` runs a reduced number.
EXAMPLES = int(os.environ.get("GEOPORTAL_FUZZ_EXAMPLES", "30"))

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
