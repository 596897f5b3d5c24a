"""core.errors: one rendering path for every PortalError, in the format of the API the view
belongs to, with Retry-After on every 429 and 503."""

import json

import pytest
from django.test import RequestFactory
from lxml import etree

from core import conf
from core.errors import (
    ErrorMiddleware,
    PortalError,
    RateLimited,
    ServiceUnavailable,
    api_exception_handler,
    error_format,
    to_response,
)


def routed(view, path="/x", **kwargs):
    """A request as the URL resolver leaves it: resolver_match names the view."""
    request = RequestFactory().get(path)

    class Match:
        func = view

    Match.kwargs = kwargs
    request.resolver_match = Match
    return request


def plain_view(request):
    raise AssertionError("not called")


@error_format("ows")
def ows_view(request):
    raise AssertionError("not called")


class OwsClassView:
    error_format = "ows"


def class_view(request):
    raise AssertionError("not called")


class_view.view_class = OwsClassView


def test_problem_json_is_the_default():
    response = to_response(
        PortalError("bbox: чотири числа", code="invalid-bbox"), routed(plain_view)
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body == {
        "type": "about:blank#invalid-bbox",
        "title": "invalid-bbox",
        "status": 400,
        "detail": "bbox: чотири числа",
        "code": "invalid-bbox",
    }


@pytest.mark.parametrize("view", [ows_view, class_view], ids=["decorator", "class-attribute"])
def test_ogc_services_get_an_ows_exception_report(view):
    error = PortalError("COUNT must be < 5 & > 0", code="invalid-count", locator="COUNT")
    response = to_response(error, routed(view))
    assert response.status_code == 400 and response["Content-Type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    ns = {"ows": "http://www.opengis.net/ows/1.1"}
    exception = root.find("ows:Exception", ns)
    assert root.tag == "{http://www.opengis.net/ows/1.1}ExceptionReport"
    assert exception.get("exceptionCode") == "InvalidParameterValue"
    assert exception.get("locator") == "COUNT"
    assert exception.findtext("ows:ExceptionText", namespaces=ns) == "COUNT must be < 5 & > 0"


def test_open311_registers_its_own_format():
    from geoportal.reports import open311_views

    error = PortalError("invalid", errors={"lat": ["out of range"]})
    response = to_response(error, routed(open311_views.services, fmt="xml"))
    assert response.status_code == 400 and response["Content-Type"].startswith("text/xml")
    assert b"<description>lat: out of range</description>" in response.content


@pytest.mark.parametrize(
    "error, seconds",
    [
        (RateLimited("slow down", retry_after=7), "7"),
        (RateLimited("slow down"), "60"),
        (ServiceUnavailable("database away"), str(conf.RETRY_AFTER)),
        (PortalError("busy", status=503, retry_after=3), "3"),
    ],
)
@pytest.mark.parametrize("view", [plain_view, ows_view])
def test_every_429_and_503_says_when_to_retry(error, seconds, view):
    assert to_response(error, routed(view))["Retry-After"] == seconds


def test_no_retry_after_on_other_errors():
    assert "Retry-After" not in to_response(PortalError("no"), routed(plain_view))


def test_middleware_and_drf_handler_give_the_same_response():
    error = RateLimited("slow down", retry_after=5)
    request = routed(plain_view)
    from_middleware = ErrorMiddleware(lambda r: None).process_exception(request, error)
    from_drf = api_exception_handler(error, {"request": request})
    for response in (from_middleware, from_drf):
        assert response.status_code == 429 and response["Retry-After"] == "5"
    assert from_middleware.content == from_drf.content


def test_middleware_leaves_defects_to_django():
    assert ErrorMiddleware(lambda r: None).process_exception(routed(plain_view), KeyError()) is None
