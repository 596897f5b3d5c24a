"""Schemathesis against the published OpenAPI documents: the REST API (/api/schema/), the
OGC API - Features (/ogc/api) and Open311 GeoReport v2 (/open311/v2/openapi.json), served by a
real gunicorn. Valid and invalid requests per
operation; no answer may be a 5xx or carry SQL / a stack trace.

Slow: `make test-long`; GEOPORTAL_FUZZ_EXAMPLES sets the examples per operation."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from .hostile import EXAMPLES, assert_clean

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _fuzz(schema, base_url: str, session: requests.Session) -> list[str]:
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the schema lists no operations"
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case):
            response = case.call(base_url=base_url, session=session, timeout=60)
            case.validate_response(response, checks=[not_a_server_error])
            assert_clean(response, f"{case.method} {case.formatted_path}")

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc).splitlines()[0][:300]}")
    return failures


@pytest.fixture(scope="module")
def superuser_session(role_sessions):
    """The superuser sees every layer and is not rate-limited: every code path is reachable."""
    return role_sessions["superuser"]


def test_rest_api(security_server, superuser_session):
    schema = schemathesis.openapi.from_url(f"{security_server}/api/schema/?format=json")
    failures = _fuzz(schema, security_server, superuser_session)
    assert not failures, "\n".join(failures)


def test_ogc_api(security_server, superuser_session):
    schema = schemathesis.openapi.from_url(f"{security_server}/ogc/api?f=json")
    failures = _fuzz(schema, f"{security_server}/ogc", superuser_session)
    assert not failures, "\n".join(failures)


def test_open311(security_server, superuser_session):
    schema = schemathesis.openapi.from_url(f"{security_server}/open311/v2/openapi.json")
    failures = _fuzz(schema, f"{security_server}/open311/v2", superuser_session)
    assert not failures, "\n".join(failures)
