"""One translation mechanism for the pages' scripts: Django's JavaScript catalogue (/jsi18n/)
from locale/*/LC_MESSAGES/djangojs.po (Ukrainian msgids, English translations), strings marked
with gettext() and extracted by `manage.py makemessages -d djangojs`. Every string has its
English translation compiled into djangojs.mo, and the catalogue follows the page language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils.translation.trans_real import DjangoTranslation

ROOT = Path(__file__).resolve().parents[2]
MSGID = re.compile(r'\bgettext\("((?:[^"\\]|\\.)*)"\)')


PACKAGES = ("core", "layers", "importers", "tiles", "geoportal")


def scripts() -> list[Path]:
    """The portal's own scripts (*/static/**.js, not the vendor copies)."""
    found = [p for pkg in PACKAGES for p in (ROOT / pkg).glob("**/static/**/*.js")
             if "vendor" not in p.relative_to(ROOT).parts]  # fmt: skip
    assert found
    return found


def msgids() -> set[str]:
    return {m.replace('\\"', '"') for p in scripts() for m in MSGID.findall(p.read_text())}


def test_every_script_string_has_an_english_translation():
    english = DjangoTranslation("en", domain="djangojs")
    ids = msgids()
    assert len(ids) > 50
    assert [m for m in sorted(ids) if english.gettext(m) == m] == []


def test_scripts_have_one_translation_mechanism():
    for p in scripts():
        text = p.read_text()
        assert not re.search(r"\bt\(\s*[\"'`]", text), f"{p}: a t(uk, en) pair"


@pytest.mark.django_db
def test_the_catalogue_follows_the_language():
    client = Client()
    english = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200 and "javascript" in english["Content-Type"]
    body = english.content.decode()
    assert "Could not load layers. Please reload." in body and "Opacity of %s" in body
    assert "Change the status" not in body  # the django domain stays on the server
    ukrainian = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Could not load layers" not in ukrainian and "django.gettext" in ukrainian
