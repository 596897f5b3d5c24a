"""JSON answers are gzip'd for clients that accept it (a phone's first map load carried its
layers API, labels and features uncompressed from the app); pages are not."""

from __future__ import annotations

import gzip
import json

import pytest

pytestmark = pytest.mark.django_db


def test_json_is_gzipped_when_accepted(client, demo_layers):
    plain = client.get("/api/v1/layers/", HTTP_ACCEPT="application/json")
    packed = client.get(
        "/api/v1/layers/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) < len(plain.content) / 2


def test_pages_and_tiny_answers_stay_as_they_are(client, demo_layers):
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200 and "Content-Encoding" not in page
    problem = client.get("/api/v1/search/", {"q": "x", "limit": "abc"}, HTTP_ACCEPT_ENCODING="gzip")
    assert problem.status_code == 400 and problem.json()["code"] == "invalid_limit"  # < 200 bytes
