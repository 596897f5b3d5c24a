"""The text parser: examples of how residents write, and properties over any text."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoportal.locator.parse import parse, parse_landmark
from geoportal.locator.text import house_norm, ref_norm, street_key


@pytest.mark.parametrize(
    "ref, norm",
    [("ОП-17", "17"), ("оп 17", "17"), ("№17", "17"), ("17", "17"), ("К-204", "к204"),
     ("K-204", "к204"), ("к 204", "к204"), ("Школа №3", "школа 3")],
)  # fmt: skip
def test_ref_norm(ref, norm):
    assert ref_norm(ref) == norm


@pytest.mark.parametrize(
    "name, key",
    [("вулиця Тараса Шевченка", ("вулиця", "тарас шевченко")), ("проспект Миру", ("проспект", "мир")),
     ("провулок Садовий", ("провулок", "садовий")), ("Shevchenka", ("вулиця", "шевченко"))],
)  # fmt: skip
def test_street_key(name, key):
    assert street_key(name) == key


def test_house_norm():
    assert house_norm("12 А") == "12а"
    assert house_norm("14 / 2") == "14/2"


@pytest.mark.parametrize(
    "text, refs",
    [("опора 17 на вул. Шевченка не світить", [("17", "pole")]),
     ("ОП-17 не горить", [("17", "pole")]),
     ("стовп №17 біля буд. 12а", [("17", "pole")]),
     ("столб 5 не светит", [("5", "pole")]),
     ("люк К-204 відкритий", [("к204", "manhole")]),
     ("номер на кришці К 87", [("к87", "manhole")]),
     ("прийдіть о 12 годині", [])],
)  # fmt: skip
def test_refs(text, refs):
    assert [(r.norm, r.kind) for r in parse(text).refs] == refs


def test_between_house_distance_relations():
    ev = parse("між опорами 17 і 18 на Садовій")
    assert [r.norm for r in ev.between] == ["17", "18"]
    ev = parse("яма навпроти 14 по Соборній")
    assert ev.houses == ["14"] and ev.opposite
    ev = parse("за 50 м від перехрестя Соборної і Шевченка")
    assert ev.distance_m == 50 and ev.intersection
    ev = parse("біля зупинки Центральний ринок")
    assert ev.stop and ev.near
    assert parse("Шевченко улица дом 10").houses == ["10"]


def test_parse_landmark():
    assert parse_landmark("ОП-17").norm == "17" and parse_landmark("ОП-17").kind == "pole"
    assert parse_landmark("люк К-204").norm == "к204"
    assert parse_landmark("  ") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parse_never_crashes_and_numbers_come_from_the_text(text):
    ev = parse(text)
    assert isinstance(ev.as_dict(), dict)
    for ref in ev.refs:
        assert ref.digits and ref.digits in text
    for house in ev.houses:
        assert re.match(r"\d+", house).group() in text


WORDS = st.sampled_from(
    ["опора", "стовп", "№", "ОП-", "люк", "К-", "вул.", "Шевченка", "буд.", "навпроти", "між",
     "і", "за", "м", "перехрестя", " ", ",", "12а", "17", "204", "Shevchenka", "улица", "/"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(WORDS, st.text(max_size=4)), max_size=25))
def test_parse_report_like_text(parts):
    text = " ".join(parts)
    ev = parse(text)
    for ref in ev.refs:
        assert ref.digits in text
    if ev.between:
        assert all(r.digits in text for r in ev.between)
