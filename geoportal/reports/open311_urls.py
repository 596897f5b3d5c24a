"""URLs of Open311 GeoReport v2 (mounted at /open311/v2/); the format is the file suffix."""

from django.urls import re_path

from . import open311_views as v

F = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^openapi\.json$", v.openapi, name="open311-openapi"),
    re_path(r"^services" + F, v.services, name="open311-services"),
    re_path(r"^services/(?P<code>[-\w]+)" + F, v.service_definition, name="open311-service"),
    re_path(r"^requests" + F, v.requests, name="open311-requests"),
    re_path(r"^requests/(?P<pk>[0-9]+)" + F, v.request_detail, name="open311-request"),
]
