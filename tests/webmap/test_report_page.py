"""Problem reports: the resident flow over real HTTP (gunicorn) and the public report page in
headless Chromium (here for the browser fixtures): submit, look for nearby reports, confirm,
subscribe, then follow the public page on a phone-sized screen."""

import pytest
import requests

pytestmark = [pytest.mark.django_db, pytest.mark.browser]


def test_resident_flow_and_public_page(portal_server, new_page):
    base = portal_server
    r = requests.post(base + "/api/v1/reports", timeout=30, json={
        "category": "damaged-pole", "lat": 48.1123, "lon": 32.7581, "located_by": "gps",
        "description": "Опора нахилилась над тротуаром", "answers": {"wires_down": "ні"},
        "name": "Петро Приватний", "email": "petro@example.org",
    })  # fmt: skip
    assert r.status_code == 201, r.text
    pk = r.json()["id"]
    near = requests.get(base + "/api/v1/reports/nearby", timeout=30,
                        params={"lat": 48.1124, "lon": 32.7582, "category": "damaged-pole"})  # fmt: skip
    assert pk in [x["id"] for x in near.json()["reports"]]
    assert requests.post(f"{base}/api/v1/reports/{pk}/confirm", timeout=30).status_code == 201
    sub = requests.post(f"{base}/api/v1/reports/{pk}/subscribe", json={"email": "n@example.org"},
                        timeout=30)  # fmt: skip
    assert sub.status_code == 201

    p = new_page(width=390, height=844)  # a phone
    p.page.goto(f"{base}/reports/{pk}/")
    p.page.wait_for_selector(".leaflet-marker-icon", timeout=30000)
    text = p.page.inner_text("body")
    assert f"Повідомлення №{pk}" in text and "Пошкоджена опора" in text
    assert "нове" in text and "Опора нахилилась" in text
    assert "Приватний" not in p.page.content() and "petro@" not in p.page.content()
    assert p.page.inner_text("dd.confirmations") == "1"
    assert not p.errors, p.errors
