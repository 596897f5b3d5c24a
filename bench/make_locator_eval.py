"""Seeded evaluation set for the landmark locator, generated from the demo hromada's files.

    .venv/bin/python bench/make_locator_eval.py   # writes bench/data/locator_eval.jsonl

The wordings were written first, from how residents of small Ukrainian towns write to the
city council's hotline and Viber bots (short, no punctuation, surzhyk, Latin letters from a
phone without a Ukrainian layout, abbreviations, typos), then filled with real features of the
demo data. Each item: text / landmarks / lat / lon / accuracy_m, the true point (true_lat,
true_lon), and its evidence type: landmark_ref, street_house, relation, text_only, gps_only,
ambiguous. Reads only fixtures/demo/ (no database).
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pandas as pd
import pyogrio
import shapely
from pyproj import Transformer

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
OUT = ROOT / "bench" / "data" / "locator_eval.jsonl"
SEED = 20261122
LOCAL = "EPSG:6385"
to_ll = Transformer.from_crs(LOCAL, 4326, always_xy=True)
from_ll = Transformer.from_crs(4326, LOCAL, always_xy=True)

# Genitive/locative forms a resident types after "на"/"по" (the registry only has the name).
LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "",
}  # fmt: skip
PROBLEMS = [
    "не світить", "не горить ліхтар", "ліхтар блимає всю ніч", "темно, не працює освітлення",
    "світильник розбитий", "опора похилилась", "висить дріт",
]  # fmt: skip
MANHOLE_PROBLEMS = [
    "відкритий люк", "немає кришки", "провалилась кришка люка", "люк відкритий, небезпечно",
    "тече вода з колодязя", "кришка люка розбита",
]  # fmt: skip
ROAD_PROBLEMS = ["яма", "велика яма на дорозі", "розбитий асфальт", "калюжа на всю дорогу",
                 "повалене дерево", "сміття", "не вивозять сміття", "пориви води"]  # fmt: skip


def latin(text: str) -> str:
    return "".join(LATIN.get(ch, ch) for ch in text.lower())


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(2, len(word) - 2)
    op = rng.choice(["swap", "drop", "double"])
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def genitive(short: str) -> str:
    """ "Садова" -> "Садовій" / "Шевченка" stays: what follows "на" in a complaint."""
    if short.endswith("на") or short.endswith("ва") or short.endswith("ка") and " " not in short:
        if short.endswith(("ська", "цька", "на", "ва")) or short[-3:] in ("ька",):
            return short[:-1] + "ій"
    return short


def street_phrase(rng: random.Random, name: str, short: str, kind: str) -> str:
    abbrev = {"вулиця": ["вул.", "вул", "вулиця", ""], "провулок": ["пров.", "провулок"],
              "проспект": ["просп.", "проспект", "пр."], "бульвар": ["бульв.", "бульвар"],
              "площа": ["пл.", "площа"]}[kind]  # fmt: skip
    style = rng.random()
    if style < 0.35:
        return f"{rng.choice(abbrev)} {short}".strip()
    if style < 0.55:
        return name if rng.random() < 0.5 else name.replace(kind, rng.choice(abbrev)).strip()
    if style < 0.7:
        return f"на {genitive(short)}" if kind == "вулиця" else f"{rng.choice(abbrev)} {short}"
    if style < 0.8:
        return f"{rng.choice(abbrev)} {typo(rng, short)}".strip()
    if style < 0.9:
        return f"vul. {latin(short).capitalize()}" if kind == "вулиця" else f"{kind} {short}"
    ru = short.replace("і", "и").replace("ї", "и").replace("є", "е")
    return f"ул. {ru}" if kind == "вулиця" else f"{rng.choice(abbrev)} {short}"


def ll(x: float, y: float) -> tuple[float, float]:
    lon, lat = to_ll.transform(x, y)
    return round(lat, 7), round(lon, 7)


def gps_near(rng, x, y, accuracy):
    ang = rng.uniform(0, 2 * math.pi)
    r = abs(rng.gauss(0, accuracy / 1.5))
    return ll(x + r * math.cos(ang), y + r * math.sin(ang))


def load():
    streets = pyogrio.read_dataframe(DEMO / "topo" / "streets.gpkg", layer="streets").to_crs(LOCAL)
    poles = pd.read_csv(DEMO / "utilities" / "street_light_poles.csv", dtype={"number": str})
    manholes = pyogrio.read_dataframe(DEMO / "utilities" / "networks.gpkg", layer="manholes")
    manholes = manholes.to_crs(LOCAL)
    stops = pyogrio.read_dataframe(DEMO / "bus_stops.geojson").to_crs(LOCAL)
    buildings = pyogrio.read_dataframe(
        DEMO / "topo" / "buildings" / "buildings.shp", encoding="cp1251"
    ).to_crs(LOCAL)
    return streets, poles, manholes, stops, buildings


def intersections(streets) -> list:
    """(street a, street b, crossing point) for every pair of the town's streets that cross."""
    town = streets[streets["settlement"] == "м. Долинська"]
    pairs = []
    for _, a in town.iterrows():
        for _, b in town.iterrows():
            if a["name"] < b["name"] and a.geometry.intersects(b.geometry):
                pt = a.geometry.intersection(b.geometry)
                if not pt.is_empty and pt.geom_type in ("Point", "MultiPoint"):
                    pairs.append((a, b, pt if pt.geom_type == "Point" else pt.geoms[0]))
    return pairs


class EvalSet:
    """The demo features the items are made from, the seeded generator and the items so far."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.streets, self.poles, self.manholes, stops, buildings = load()
        self.by_name = {(r["name"], r["settlement"]): r for _, r in self.streets.iterrows()}
        self.houses = buildings[buildings["use"] != "господарський"].copy()
        self.houses["pt"] = shapely.point_on_surface(self.houses.geometry.values)
        self.named_stops = stops[~stops["name"].duplicated(keep=False)]
        self.same_name_stops = stops[stops["name"].duplicated(keep=False)]
        self.pairs = intersections(self.streets)
        self.items: list[dict] = []

    def add(self, kind, truth, text="", **extra):
        lat, lon = ll(*truth)
        self.items.append({"id": len(self.items) + 1, "type": kind, "text": text, "true_lat": lat,
                           "true_lon": lon, **extra})  # fmt: skip

    def street_of(self, name, settlement="м. Долинська"):
        r = self.by_name[(name, settlement)]
        return r["name"], r["short_name"], r["type"]


def add_pole_refs(ev: EvalSet) -> None:
    """landmark_ref: pole numbers, with the street, a fix, or both."""
    rng, poles = ev.rng, ev.poles
    for _ in range(70):
        p = poles.iloc[rng.randrange(len(poles))]
        name, short, kind = ev.street_of(p["street"])
        num = p["number"]
        form = rng.choice(["опора {n}", "опора №{n}", "стовп {n}", "стовп №{n}", "ліхтар на опорі {n}",
                           "оп. {n}", "столб {n}", "опора номер {n}"])  # fmt: skip
        n = num if not num.startswith("ОП-") or rng.random() < 0.5 else num[3:]
        ref = form.format(n=n)
        where = street_phrase(rng, name, short, kind)
        tpl = rng.choice(["{p}, {ref}, {w}", "{ref} {w} {p}", "{w}, {ref} - {p}",
                          "Добрий вечір. {w} {ref} {p}"])  # fmt: skip
        extra = {}
        r = rng.random()
        if r < 0.4:
            extra = dict(zip(("lat", "lon"), gps_near(rng, p.x, p.y, 25), strict=True))
            extra["accuracy_m"] = 25
        elif r < 0.5:  # stale fix far away, phone claims it is good
            extra = dict(zip(("lat", "lon"), gps_near(rng, p.x + 1800, p.y - 900, 5), strict=True))
            extra["accuracy_m"] = 15
        ev.add(
            "landmark_ref",
            (p.x, p.y),
            tpl.format(p=rng.choice(PROBLEMS), ref=ref, w=where),
            **extra,
        )


def add_manhole_refs(ev: EvalSet) -> None:
    """landmark_ref: manhole numbers as written on the lid, in the text or as a landmark."""
    rng, manholes = ev.rng, ev.manholes
    for _ in range(30):
        m = manholes.iloc[rng.randrange(len(manholes))]
        mid = m["manhole_id"]
        shown = rng.choice([mid, mid.replace("-", ""), mid.replace("-", " "), mid.lower(),
                            mid.replace("К", "K")])  # fmt: skip
        tpl = rng.choice(
            ["{p} {id}", "люк {id} {p}", "колодязь {id}, {p}", "{p}, номер на кришці {id}"]
        )
        if rng.random() < 0.3:
            ev.add("landmark_ref", (m.geometry.x, m.geometry.y), rng.choice(MANHOLE_PROBLEMS),
                   landmarks=[shown])  # fmt: skip
        else:
            ev.add("landmark_ref", (m.geometry.x, m.geometry.y),
                   tpl.format(p=rng.choice(MANHOLE_PROBLEMS), id=shown))  # fmt: skip


def add_street_houses(ev: EvalSet) -> None:
    """street_house: address as typed, sometimes with the village."""
    rng, houses = ev.rng, ev.houses
    for _ in range(70):
        h = houses.iloc[rng.randrange(len(houses))]
        if (h["street"], h["settlement"]) not in ev.by_name:
            continue
        name, short, kind = ev.street_of(h["street"], h["settlement"])
        where = street_phrase(rng, name, short, kind)
        num = h["housenum"]
        numform = rng.choice([num, f"буд. {num}", f"б.{num}", f"будинок {num}", num.upper()])
        place = ""
        if h["settlement"] != "м. Долинська":
            place = rng.choice([h["settlement"] + ", ", h["settlement"].split(". ")[-1] + " "])
        tpl = rng.choice(["{pl}{w} {n} {p}", "{p} {pl}{w}, {n}", "{pl}{w} {n}, {p}"])
        ev.add("street_house", (h.pt.x, h.pt.y),
               tpl.format(pl=place, w=where, n=numform, p=rng.choice(ROAD_PROBLEMS)))  # fmt: skip


def add_between_poles(ev: EvalSet) -> None:
    """relation: between two neighbouring poles of a street."""
    rng, poles = ev.rng, ev.poles
    for _ in range(20):
        street = rng.choice(sorted(set(poles["street"])))
        on = poles[poles["street"] == street].reset_index(drop=True)
        i = rng.randrange(len(on) - 1)
        a, b = on.iloc[i], on.iloc[i + 1]
        if math.hypot(a.x - b.x, a.y - b.y) > 120:
            continue
        name, short, kind = ev.street_of(street)
        na, nb = a["number"].replace("ОП-", ""), b["number"].replace("ОП-", "")
        text = rng.choice([f"між опорами {na} і {nb} {street_phrase(rng, name, short, kind)} темно",
                           f"{street_phrase(rng, name, short, kind)}, між стовпами №{na} та №{nb} не світить"])  # fmt: skip
        ev.add("relation", ((a.x + b.x) / 2, (a.y + b.y) / 2), text)


def add_near_places(ev: EvalSet) -> None:
    """relation: near a stop, opposite a house, at an intersection."""
    rng, named, houses, pairs = ev.rng, ev.named_stops, ev.houses, ev.pairs
    for _ in range(15):
        s = named.iloc[rng.randrange(len(named))]
        text = rng.choice(["біля зупинки {s} {p}", "{p} коло зупинки «{s}»", "зупинка {s}, {p}",
                           "{p} возле остановки {s}"]).format(s=s["name"], p=rng.choice(ROAD_PROBLEMS))  # fmt: skip
        ev.add("relation", (s.geometry.x, s.geometry.y), text)
    for _ in range(15):
        h = houses[houses["settlement"] == "м. Долинська"].iloc[rng.randrange(4000)]
        name, short, kind = ev.street_of(h["street"])
        line = ev.by_name[(h["street"], "м. Долинська")].geometry
        q = line.interpolate(line.project(h.pt))
        ev.add("relation", (q.x, q.y), f"{rng.choice(ROAD_PROBLEMS)} навпроти {h['housenum']} "
               f"{street_phrase(rng, name, short, kind)}")  # fmt: skip
    for _ in range(15):
        a, b, pt = pairs[rng.randrange(len(pairs))]
        text = rng.choice(["{p} на перехресті {a} і {b}", "перехрестя {a} та {b}, {p}",
                           "{p} на розі {a} і {b}"]).format(
            p=rng.choice(ROAD_PROBLEMS), a=a["short_name"], b=b["short_name"])  # fmt: skip
        ev.add("relation", (pt.x, pt.y), text)


def add_text_only(ev: EvalSet) -> None:
    """text_only: plain descriptions, no number plates, no fix."""
    rng, houses, named, pairs = ev.rng, ev.houses, ev.named_stops, ev.pairs
    for _ in range(45):
        r = rng.random()
        if r < 0.5:
            h = houses.iloc[rng.randrange(len(houses))]
            if (h["street"], h["settlement"]) not in ev.by_name:
                continue
            name, short, kind = ev.street_of(h["street"], h["settlement"])
            village = "" if h["settlement"] == "м. Долинська" else f"в {h['settlement']} "
            text = rng.choice(["{p} {v}біля будинку {n}, {w}", "{v}{w} {n} - {p}",
                               "Прошу прибрати: {p}, {v}{w} біля {n}"]).format(
                p=rng.choice(ROAD_PROBLEMS), v=village, n=h["housenum"],
                w=street_phrase(rng, name, short, kind))  # fmt: skip
            ev.add("text_only", (h.pt.x, h.pt.y), text)
        elif r < 0.75:
            s = named.iloc[rng.randrange(len(named))]
            ev.add("text_only", (s.geometry.x, s.geometry.y),
                   f"{rng.choice(ROAD_PROBLEMS)} на зупинці {s['name']}")  # fmt: skip
        else:
            a, b, pt = pairs[rng.randrange(len(pairs))]
            d = rng.choice([20, 30, 40])
            line = a.geometry
            t = line.project(pt) + rng.choice([-d, d])
            q = line.interpolate(max(0, min(line.length, t)))
            ev.add("text_only", (q.x, q.y), f"{rng.choice(ROAD_PROBLEMS)} за {d} м від перехрестя "
                   f"{a['short_name']} з {b['short_name']}")  # fmt: skip


def add_gps_only(ev: EvalSet) -> None:
    """gps_only: a vague text and the phone's fix."""
    rng, houses = ev.rng, ev.houses
    for _ in range(35):
        h = houses.iloc[rng.randrange(len(houses))]
        acc = rng.choice([5, 8, 10, 15, 20, 30, 50, 100, 300])
        lat, lon = gps_near(rng, h.pt.x, h.pt.y, acc)
        ev.add("gps_only", (h.pt.x, h.pt.y), rng.choice(ROAD_PROBLEMS + ["тут", ""]),
               lat=lat, lon=lon, accuracy_m=acc)  # fmt: skip


def add_ambiguous(ev: EvalSet) -> None:
    """ambiguous: a number that exists on many streets, or a stop's name that several share."""
    rng, poles = ev.rng, ev.poles
    for _ in range(35):
        p = poles.iloc[rng.randrange(len(poles))]
        n = p["number"].replace("ОП-", "")
        if (poles["number"].str.replace("ОП-", "") == n).sum() < 2:
            continue
        ev.add("ambiguous", (p.x, p.y), f"{rng.choice(PROBLEMS)} опора {n}")
    for _, s in ev.same_name_stops.iterrows():
        ev.add("ambiguous", (s.geometry.x, s.geometry.y), f"яма біля зупинки «{s['name']}»")


# In this order: each draws from the one seeded generator.
EVIDENCE = (add_pole_refs, add_manhole_refs, add_street_houses, add_between_poles,
            add_near_places, add_text_only, add_gps_only, add_ambiguous)  # fmt: skip


def write(items: list[dict], out: Path) -> None:
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    counts = pd.Series([i["type"] for i in items]).value_counts().to_dict()
    print(f"{len(items)} items -> {out}: {counts}")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    ev = EvalSet(random.Random(args.seed))
    for add_evidence in EVIDENCE:
        add_evidence(ev)
    write(ev.items, args.out)


if __name__ == "__main__":
    main()
