"""The accessibility kind: lists of public facilities from audits and registers. Recognises the
accessibility columns under their many names ("Безбар'єрний вхід", "пандус", "Ramp"...) and
turns the yes/no spellings real lists use (так/ні, є/немає, yes/no, 1/0, +/-) into boolean
columns with fixed names (step_free_entrance, ramp, lift, ...), which the residents' map reads.
A value that is neither yes nor no stays empty and is reported."""

from __future__ import annotations

import pyarrow as pa

from ..naming import column_name
from .base import Batch, Kind

__all__ = ["FLAGS", "AccessibilityKind", "yes_no"]

# flag -> (Ukrainian title, English title, substrings of the transliterated column name)
FLAGS = {
    "step_free_entrance": ("Вхід без сходинок", "Step-free entrance",
                           ["bezbariern", "bez_skhodyn", "step_free", "stepfree", "barrier_free",
                            "wheelchair_entr"]),
    "ramp": ("Пандус", "Ramp", ["pandus", "ramp"]),
    "lift": ("Ліфт", "Lift", ["lift", "elevator", "pidiomnyk"]),
    "accessible_toilet": ("Доступний туалет", "Accessible toilet",
                          ["tualet", "toilet", "wc", "sanvuzol", "ubyraln"]),
    "sign_language": ("Перекладач жестової мови", "Sign-language interpreter",
                      ["zhestov", "sign_lang", "surdoperekl"]),
    "braille": ("Шрифт Брайля", "Braille signage", ["brail"]),
    "audio_aids": ("Аудіосупровід", "Audio aids", ["audio", "zvukov", "ozvuch"]),
    "services_for_women": ("Послуги для жінок", "Services for women",
                           ["zhinok", "zhinoch", "women", "materi_dytyny", "dytiach_kimn"]),
    "disabled_parking": ("Паркування для людей з інвалідністю", "Parking for disabled people",
                         ["parkuv", "parking", "stoianka"]),
    "low_mobility": ("Для маломобільних людей", "For people with reduced mobility",
                     ["malomobil", "low_mobility", "reduced_mobility"]),
}  # fmt: skip

YES = {"так", "є", "+", "1", "true", "t", "yes", "y", "наявний", "наявна", "наявне", "available"}
NO = {"ні", "немає", "нема", "-", "0", "false", "f", "no", "n", "відсутній", "відсутня", "none"}


def yes_no(value) -> bool | None:
    """True/False for the spellings of yes and no; None for blanks and anything else."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower().rstrip(".")
    if text in YES:
        return True
    if text in NO:
        return False
    try:
        return float(text.replace(",", ".")) > 0
    except ValueError:
        return None


def _flag_for(attribute: dict) -> str | None:
    names = [column_name(attribute["name"])]
    if attribute.get("source"):
        names.append(column_name(attribute["source"]))
    if attribute.get("title_uk"):
        names.append(column_name(attribute["title_uk"]))
    for flag, (_uk, _en, spellings) in FLAGS.items():
        if any(s in n for n in names for s in spellings):
            return flag
    return None


class AccessibilityKind(Kind):
    name = "accessibility"

    def schema(self, attributes):
        self.flags: dict[str, str] = {}  # final flag column -> file attribute name
        result, renames = [], {}
        taken = {a["name"] for a in attributes}
        for attribute in attributes:
            flag = _flag_for(attribute)
            if flag and flag not in self.flags and (flag == attribute["name"] or flag not in taken):
                uk, en, _ = FLAGS[flag]
                renames[attribute["name"]] = flag
                self.flags[flag] = attribute["name"]
                attribute = {**attribute, "name": flag, "type": "boolean", "title_uk": uk,
                             "title_en": en, "source": attribute.get("source") or attribute["name"]}  # fmt: skip
            result.append(attribute)
        return result, renames

    def convert(self, attribute, column):
        if attribute["name"] in self.flags:
            self._raw = getattr(self, "_raw", {})
            self._raw[attribute["name"]] = column
            return pa.array([yes_no(v) for v in column.to_pylist()], type=pa.bool_())
        return None

    def check(self, batch: Batch, report):
        if not self.flags:
            self.warn(report, "no accessibility columns", None,
                      "no accessibility columns recognised (ramp, lift, пандус, ліфт...)")  # fmt: skip
        raw = getattr(self, "_raw", {})
        for flag, column in raw.items():
            values = batch.columns[flag].to_pylist()
            for row, original, value in zip(batch.rows, column.to_pylist(), values, strict=True):
                if value is None and original is not None and str(original).strip():
                    self.warn(report, f"{flag}: not yes or no", int(row),
                              f"{flag}: {original!r} is neither yes nor no; left empty")  # fmt: skip
        self._raw = {}
        return {}
