"""The inspector's offline queue in a real Chromium against the real server: inspections made
with the network off wait in IndexedDB (nothing reaches the server), and are sent once when it
is back, each applied once; a record sent again with the same key is not doubled. Access: the
page and the API are for inspectors only (CSRF enforced on the session)."""

import pytest

from tests.conftest import PASSWORD, jpeg, login
from tests.webmap.conftest import wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("registers")]


def _sign_in(page, base):
    page.goto(f"{base}/conditions/inspect/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "dispatcher")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/conditions/inspect/")
    wait_ready(page, "inspect")


def _queued(page) -> int:
    return page.evaluate("window.geoportalApp.queued()")


def test_offline_queue_syncs_once(
    portal_server, new_page, django_db_blocker, tmp_path, artifacts_dir
):
    from geoportal.conditions.models import Inspection, Pole, Segment

    with django_db_blocker.unblock():
        poles = list(Pole.objects.filter(state="working").order_by("pk")[:2])
        segment = Segment.objects.order_by("pk").first()
        before = Inspection.objects.count()
    p = new_page(width=390, height=844)
    page = p.page
    _sign_in(page, portal_server)
    photo = tmp_path / "pole.jpg"
    photo.write_bytes(jpeg())

    page.context.set_offline(True)
    for pole in poles:
        page.evaluate("p => window.geoportalApp.select(p)",
                      {"asset": "pole", "id": pole.pk, "number": pole.number, "street": pole.street,
                       "state": pole.state})  # fmt: skip
        page.check('input[name=state][value="confirmed"]')
        page.set_input_files("input[name=photo]", str(photo))
        page.evaluate("window.geoportalApp.submit()")
    page.evaluate("p => window.geoportalApp.select(p)",
                  {"asset": "segment", "id": segment.pk, "street": segment.street, "condition": segment.condition})  # fmt: skip
    page.check('input[name=condition][value="critical"]')
    page.evaluate("window.geoportalApp.submit()")
    assert _queued(page) == 3
    assert page.get_attribute("#queue", "data-offline") == "1"
    page.evaluate("p => window.geoportalApp.select(p)", {"asset": "pole", "id": poles[0].pk,
                  "number": poles[0].number, "street": poles[0].street, "state": "working"})  # fmt: skip
    page.screenshot(path=str(artifacts_dir / "conditions-inspect-390.png"), full_page=True)
    with django_db_blocker.unblock():
        assert Inspection.objects.count() == before  # nothing reached the server

    page.context.set_offline(False)
    page.wait_for_function("document.getElementById('queue').dataset.count === '0'", timeout=20000)
    with django_db_blocker.unblock():
        made = list(Inspection.objects.order_by("pk")[before:])
        assert len(made) == 3
        assert sorted(i.pole_id or 0 for i in made if i.pole_id) == sorted(p.pk for p in poles)
        assert all(i.photo for i in made if i.pole_id)
        assert {Pole.objects.get(pk=p.pk).state for p in poles} == {"confirmed"}
        assert Segment.objects.get(pk=segment.pk).condition == "critical"
        key = made[0].key

    # The same record again (an answer lost on the way back): one inspection still.
    page.evaluate(
        """k => import('/static/conditions/queue.js').then(q => q.put({key: k,
             fields: {key: k, asset: 'pole', id: '1', state: 'working'}, photo: null}))""",
        key,
    )
    page.evaluate("window.geoportalApp.flush()")
    page.wait_for_function("document.getElementById('queue').dataset.count === '0'")
    with django_db_blocker.unblock():
        assert Inspection.objects.count() == before + 3
    offline = "ERR_INTERNET_DISCONNECTED"  # the tries while the network was off
    assert not [e for e in p.errors if offline not in e], p.errors


def test_inspections_are_for_inspectors(portal_server, django_db_blocker):
    import requests

    from geoportal.conditions.models import Pole

    with django_db_blocker.unblock():
        pole = Pole.objects.order_by("pk").first()
    body = {"key": "k" * 20, "asset": "pole", "id": str(pole.pk), "state": "reported"}
    anon = requests.post(f"{portal_server}/api/v1/conditions/inspections", data=body, timeout=30)
    assert anon.status_code in (403, 404)
    planner = login(portal_server, "planner")  # staff, but not an inspector
    r = planner.post(f"{portal_server}/api/v1/conditions/inspections", data=body,
                     headers={"X-CSRFToken": planner.cookies.get("csrftoken", "")}, timeout=30)  # fmt: skip
    assert r.status_code == 403, r.text
    assert planner.get(f"{portal_server}/conditions/inspect/", timeout=30).status_code == 404
    dispatcher = login(portal_server, "dispatcher")
    no_csrf = dispatcher.post(
        f"{portal_server}/api/v1/conditions/inspections", data=body, timeout=30
    )
    assert no_csrf.status_code == 403  # a session write needs the CSRF token
    bad = dispatcher.post(
        f"{portal_server}/api/v1/conditions/inspections",
        data={**body, "state": "melted", "observed_at": "2026-02-30T10:00:00Z", "note": "\x00"},
        headers={"X-CSRFToken": dispatcher.cookies.get("csrftoken", ""),
                 "Referer": f"{portal_server}/conditions/inspect/"}, timeout=30,
    )  # fmt: skip
    assert bad.status_code == 400, bad.text
    assert set(bad.json()["errors"]) >= {"state", "observed_at", "note"}
    hidden = requests.get(f"{portal_server}/api/v1/conditions/assets", params={"bbox": "32.7,48.1,32.8,48.2"},
                          timeout=30)  # fmt: skip
    assert hidden.status_code == 404
