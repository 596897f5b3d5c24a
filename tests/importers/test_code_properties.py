"""Property tests (hypothesis) of the cadastral number and КВЦПЗ purpose-code validators: every
well-formed code is accepted, and anything else is refused, however close it comes (a digit
from another script, a trailing newline, a part one digit short or long, a wrong separator).
The vectorised check the importer runs over a whole batch agrees with the one-value check."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import example, given
from hypothesis import strategies as st

from importers.kinds.cadastral import (
    KVTSPZ_SECTIONS,
    cadastral_number_flags,
    valid_cadastral_number,
    valid_purpose,
)

PARTS = (10, 2, 3, 4)  # KOATUU : zone : quarter : parcel


def digits(n: int):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


well_formed = st.tuples(*(digits(n) for n in PARTS)).map(":".join)


def is_well_formed(text: str) -> bool:
    """The definition, spelled out without a regular expression."""
    parts = text.split(":")
    return [len(p) for p in parts] == list(PARTS) and all(
        c in "0123456789" for p in parts for c in p
    )


@given(well_formed)
def test_every_well_formed_number_is_accepted(number):
    assert valid_cadastral_number(number)


@given(st.text(alphabet="0123456789:\n -٣", max_size=30))
@example("3521910100:02:033:0001\n")  # Python's "$" would take it
@example("352191010٣:02:033:0001")  # Python's "\d" would take the Arabic-Indic three
@example("3521910100:02:033:00001")
@example("3521910100-02-033-0001")
def test_accepted_exactly_when_well_formed(text):
    assert valid_cadastral_number(text) is is_well_formed(text)


@given(well_formed, st.data())
def test_one_changed_character_is_refused(number, data):
    i = data.draw(st.integers(0, len(number) - 1))
    other = data.draw(st.characters().filter(lambda c: c != number[i]))
    changed = number[:i] + other + number[i + 1 :]
    assert valid_cadastral_number(changed) is is_well_formed(changed)
    if number[i] == ":" or not other.isascii() or not other.isdigit():
        assert not valid_cadastral_number(changed)


@given(st.lists(st.one_of(st.none(), well_formed, st.text(max_size=25)), max_size=40))
def test_batch_check_agrees_with_the_single_check(values):
    flags = cadastral_number_flags(pa.array(values, pa.string()))
    assert list(flags) == [v is not None and valid_cadastral_number(v) for v in values]


@given(st.sampled_from(sorted(KVTSPZ_SECTIONS)), st.integers(0, 99))
def test_purpose_codes_follow_the_classifier(section, sub):
    top = KVTSPZ_SECTIONS[section]
    expected = sub == 0 if top == 0 else 1 <= sub <= top
    assert valid_purpose(f"{section:02d}.{sub:02d}") is expected


@given(st.text(max_size=8))
@example("٠٢.٠١")  # 02.01 in Arabic-Indic digits: int() would read it
@example("02.01\n")
def test_purpose_code_is_two_ascii_digits_dot_two(text):
    if valid_purpose(text):
        assert len(text) == 5 and text[2] == "." and text.replace(".", "", 1).isascii()
        assert text.replace(".", "", 1).isdigit()
