"""Evaluation sets of the locator on the synthetic towns, by phrasing family.

    .venv/bin/python -m bench.locator_eval.generate     # writes bench/data/locator_eval/

Independent of the parser: this package imports nothing from geoportal.locator (its phrase
lists are its own, phrases.py). Per town: the town's GeoJSON files and manifest
(bench/data/locator_eval/<town>/) and items.jsonl. Each item: id, family, type (``ref``: a pole
or manhole reference that identifies one place; ``text``: an address, stop, intersection or a
pair of poles; ``gps``: the fix alone; ``alone``: a pole number and nothing else, which must
never be answered confidently), text, lat/lon/accuracy_m when the phone sent a fix, the true
point and ``half``: "tune" or "test", from a hash of the seed and the id (fixed, so a change of
phrase lists never moves an item between halves). Only test-half figures are reported.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from pathlib import Path

from shapely.geometry import Point

from . import phrases as P
from .towns import TOWNS, Town, build, write

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "data" / "locator_eval"
SEED = 15_2026
PER_FAMILY = 60
FAMILIES = ["glued", "noise", "latin_std", "latin_informal", "russian", "numbers_uk",
            "numbers_ru", "typos", "layout", "abbrev", "cases", "ref_prefix", "gps",
            "gps_contra", "alone"]  # fmt: skip
KINDS = ["pole", "pole", "manhole", "address", "stop", "intersection", "between"]


def half_of(item_id: str) -> str:
    return "test" if hashlib.sha256(f"{SEED}|{item_id}".encode()).digest()[0] % 2 else "tune"


class Maker:
    def __init__(self, town: Town, rng: random.Random):
        self.town, self.rng = town, rng
        (self.cx, self.cy), self.to_ll = town.transformers()
        self.crossings = self._crossings()

    def ll(self, x, y) -> tuple[float, float]:
        lon, lat = self.to_ll.transform(x + self.cx, y + self.cy)
        return round(lat, 7), round(lon, 7)

    def _crossings(self):
        out = []
        for i, a in enumerate(self.town.streets):
            for b in self.town.streets[i + 1 :]:
                if a.settlement == b.settlement and a.line.intersects(b.line):
                    p = a.line.intersection(b.line)
                    if p.geom_type == "Point" and a.short != b.short:
                        out.append((a, b, p.x, p.y))
        return out

    # --- pieces ---------------------------------------------------------------------------

    def street(self, st, family: str, case: str = "plain") -> str:
        r = self.rng
        if family in ("russian", "numbers_ru"):
            return f"{r.choice(P.RU_TYPE[st.kind])} {st.ru}"
        if family == "abbrev":
            return f"{r.choice(P.ABBREV[st.kind])} {st.short}"
        if family == "cases" or case != "plain":
            return r.choice([f"на {st.loc}", f"по {st.loc}", f"{st.kind} {st.short}"])
        return r.choice([f"вул. {st.short}" if st.kind == "вулиця" else st.full, st.short,
                         st.full])  # fmt: skip

    def number(self, n: int, family: str) -> str:
        if family == "numbers_uk":
            return P.spelled(n, "uk")
        if family == "numbers_ru":
            return P.spelled(n, "ru")
        return str(n)

    def pole_word(self, family: str) -> str:
        if family in ("russian", "numbers_ru"):
            return self.rng.choice(P.POLE_RU + P.POLE_SURZHYK)
        return self.rng.choice(P.POLE_UK)

    def problem(self, family: str, what: str) -> str:
        ru = family in ("russian", "numbers_ru")
        lists = {"pole": (P.PROBLEM_POLE_UK, P.PROBLEM_POLE_RU),
                 "manhole": (P.PROBLEM_HOLE_UK, P.PROBLEM_HOLE_RU)}  # fmt: skip
        uk, rus = lists.get(what, (P.PROBLEM_ROAD_UK, P.PROBLEM_ROAD_RU))
        return self.rng.choice(rus if ru else uk)

    def pole_ref(self, n: int, family: str) -> str:
        r = self.rng
        word, num = self.pole_word(family), self.number(n, family)
        if family == "glued":
            return r.choice([f"{word}{num}", f"{word}№{num}", f"{word}#{num}", f"{word} №{num}",
                             f"№{num} {word}", f"{word}-{num}"])  # fmt: skip
        if family == "ref_prefix":
            return r.choice([f"ОП-{num}", f"ОП{num}", f"оп.{num}", f"оп {num}", f"{word} ОП-{num}",
                             f"{word} оп.{num}", f"{word} № ОП-{num}"])  # fmt: skip
        if family.startswith("numbers"):
            return r.choice([f"{word} {num}", f"{word} номер {num}", f"{word} під номером {num}"])
        return r.choice([f"{word} {num}", f"{word} №{num}", f"{word} № {num}"])

    def manhole_ref(self, ref: str, family: str) -> str:
        r = self.rng
        letter, digits = ref.split("-")
        ru = family in ("russian", "numbers_ru")
        word = r.choice(P.MANHOLE_RU if ru else P.MANHOLE_UK)
        if family == "ref_prefix":
            latin = {"К": "K", "В": "V"}[letter]
            code = r.choice([f"{letter}-{digits}", f"{latin}-{digits}", f"{letter}{digits}",
                             f"{letter.lower()}.{digits}", f"{latin}{digits}",
                             f"{letter} {digits}"])  # fmt: skip
        elif family == "glued":
            code = r.choice([f"{letter}{digits}", f"№{letter}-{digits}", f"#{letter}{digits}"])
        elif family.startswith("numbers"):
            code = f"{letter} {self.number(int(digits), family)}"
        else:
            code = ref
        return f"{word} {code}"

    # --- kinds ----------------------------------------------------------------------------

    def make(self, kind: str, family: str) -> tuple[str, tuple[float, float], dict]:
        """(text, true point in local metres, extra fields) of one report."""
        r, t = self.rng, self.town
        if kind == "pole":
            p = r.choice(t.poles)
            ref, st = self.pole_ref(p["number"], family), p["street"]
            where = self.street(st, family)
            text = r.choice([f"{ref} {where} {self.problem(family, 'pole')}",
                             f"{where}, {ref}, {self.problem(family, 'pole')}",
                             f"{self.problem(family, 'pole')} {ref} {where}"])  # fmt: skip
            return text, (p["x"], p["y"]), {"street": st.full, "settlement": st.settlement}
        if kind == "manhole":
            m = r.choice(t.manholes)
            text = f"{self.manhole_ref(m['ref'], family)} {self.problem(family, 'manhole')}"
            if r.random() < 0.4:
                text += f" {self.street(m['street'], family)}"
            return text, (m["x"], m["y"]), {}
        if kind == "address":
            h = r.choice(t.houses)
            st, num = h["street"], h["number"]
            ru = family in ("russian", "numbers_ru")
            if ru:
                text = r.choice([f"{self.problem(family, '')} возле дома {num} {self.street(st, family)}",
                                 f"{self.street(st, family)} {num} {self.problem(family, '')}",
                                 f"{self.street(st, family)}, д. {num}, {self.problem(family, '')}"])  # fmt: skip
            else:
                text = r.choice([f"{self.street(st, family)} {num} {self.problem(family, '')}",
                                 f"{self.problem(family, '')} біля будинку {num} по {st.loc}",
                                 f"{self.street(st, family)}, буд. {num}, {self.problem(family, '')}",
                                 f"{self.problem(family, '')} навпроти {num} {self.street(st, family)}"])  # fmt: skip
            return text, (h["x"], h["y"]), {}
        if kind == "stop":
            s = r.choice(t.stops)
            name = s["ru"] if family in ("russian", "numbers_ru") else s["name"]
            if family in ("russian", "numbers_ru"):
                text = r.choice([f"{self.problem(family, '')} на остановке {name}",
                                 f"остановка «{name}» {self.problem(family, '')}"])  # fmt: skip
            else:
                text = r.choice([f"{self.problem(family, '')} біля зупинки {name}",
                                 f"зупинка «{name}» {self.problem(family, '')}",
                                 f"{self.problem(family, '')} на зупинці {name}",
                                 f"зуп. {name}, {self.problem(family, '')}"])  # fmt: skip
            return text, (s["x"], s["y"]), {}
        if kind == "intersection":
            a, b, x, y = r.choice(self.crossings)
            if family in ("russian", "numbers_ru"):
                text = f"{self.problem(family, '')} на перекрестке {a.ru} и {b.ru}"
            elif family == "abbrev":
                text = f"{self.problem(family, '')} {self.street(a, family)} / {self.street(b, family)}, перехрестя"
            else:
                text = r.choice([f"{self.problem(family, '')} на перехресті {a.gen} і {b.gen}",
                                 f"{self.problem(family, '')} на розі {a.short} та {b.short}",
                                 f"перехрестя {a.short} - {b.short}, {self.problem(family, '')}"])  # fmt: skip
            return text, (x, y), {}
        # between two poles of one street
        st = r.choice([s for s in t.streets if sum(p["street"] is s for p in t.poles) > 3])
        poles = [p for p in t.poles if p["street"] is st]
        i = r.randrange(len(poles) - 1)
        a, b = poles[i], poles[i + 1]
        na, nb = self.number(a["number"], family), self.number(b["number"], family)
        word = "столбами" if family in ("russian", "numbers_ru") else "опорами"
        between = "между" if family in ("russian", "numbers_ru") else "між"
        text = (
            f"{between} {word} {na} і {nb} {self.street(st, family)} {self.problem(family, 'pole')}"
        )
        return text, ((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2), {}

    def item(self, family: str, k: int) -> dict:
        r = self.rng
        item = {"id": f"{self.town.slug}-{family}-{k:03d}", "family": family}
        if family == "gps":
            return self._gps_item(item)
        if family == "alone":
            p = r.choice(self.town.poles)
            text = f"{self.pole_ref(p['number'], 'plain')} {self.problem('plain', 'pole')}"
            return self._finish(item, "alone", text, (p["x"], p["y"]))
        kind = r.choice(KINDS)
        text, (x, y), _ = self.make(kind, family)
        text = self.village(x, y, family) + text.strip()
        text = r.choice(P.GREETINGS) + text
        if family == "latin_std":
            text = P.latin_standard(text)
        elif family == "latin_informal":
            text = P.latin_informal(r, text)
        elif family == "layout":
            text = P.wrong_layout(text)
        elif family == "noise":
            text = P.noisy(r, text)
        elif family == "typos":
            words = text.split()
            long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
            for i in r.sample(long, min(len(long), 2)):
                words[i] = P.slip(r, words[i])
            text = " ".join(words)
        kind_type = "ref" if kind in ("pole", "manhole") else "text"
        item = self._finish(item, kind_type, text, (x, y))
        if family == "gps_contra":  # sent later from home: the fix is 500-900 m off
            ang, dist = r.uniform(0, 2 * math.pi), r.uniform(500, 900)
            item["lat"], item["lon"] = self.ll(x + dist * math.cos(ang), y + dist * math.sin(ang))
            item["accuracy_m"] = r.choice([10, 15, 25])
        return item

    def village(self, x: float, y: float, family: str) -> str:
        """The village named, as residents of a village do, when the place is not in the
        hromada's town (its streets share names with the town's)."""
        near = min(self.town.streets, key=lambda s: s.line.distance(Point(x, y)))
        if near.settlement == self.town.streets[0].settlement:
            return ""
        name = near.settlement.split(" ", 1)[1]
        if family in ("russian", "numbers_ru"):
            return self.rng.choice([f"село {name}, ", f"с. {name} "])
        return self.rng.choice([f"с. {name}, ", f"{name}, ", f"село {name} "])

    def _gps_item(self, item: dict) -> dict:
        r = self.rng
        p = r.choice(self.town.poles)
        acc = r.choice([5, 10, 20, 30, 40])
        ang, dist = r.uniform(0, 2 * math.pi), abs(r.gauss(0, acc / 2))
        x, y = p["x"], p["y"]
        text = r.choice(["", "", f"{self.pole_ref(p['number'], 'plain')} {self.problem('plain', 'pole')}",
                         f"{self.pole_ref(p['number'], 'ref_prefix')} не світить", "тут темно",
                         f"№{p['number']}"])  # fmt: skip
        item = self._finish(item, "gps" if not text or "№" not in text and not any(
            ch.isdigit() for ch in text) else "ref", text, (x, y))  # fmt: skip
        item["lat"], item["lon"] = self.ll(x + dist * math.cos(ang), y + dist * math.sin(ang))
        item["accuracy_m"] = acc
        return item

    def _finish(self, item: dict, kind: str, text: str, xy) -> dict:
        lat, lon = self.ll(*xy)
        item.update(type=kind, text=text, true_lat=lat, true_lon=lon, half=half_of(item["id"]))
        return item


def generate(slug: str, out: Path = OUT) -> list[dict]:
    town = build(slug)
    write(town, out / slug)
    rng = random.Random(f"{SEED}-{slug}")
    maker = Maker(town, rng)
    items = [maker.item(f, k) for f in FAMILIES for k in range(PER_FAMILY)]
    with open(out / slug / "items.jsonl", "w") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return items


def main() -> None:
    for slug in TOWNS:
        items = generate(slug)
        test = sum(i["half"] == "test" for i in items)
        print(f"{slug}: {len(items)} items ({test} test, {len(items) - test} tuning) -> "
              f"{(OUT / slug).relative_to(ROOT)}")  # fmt: skip


if __name__ == "__main__":
    main()
