"""Two synthetic hromadas the locator has never seen, for an evaluation that cannot flatter.

Neither copies the demo's layout: Yaseniv is a rotated grid town with a village of the same
street names three kilometres east; Stepanivka is a "comb" along one long main street with a
parallel riverside street and a village to the north. Each street has its forms written by hand
(locative after "на/по", genitive after "біля/перехрестя", Russian, the national Latin
standard), poles are numbered per street (so a number alone repeats), manholes are coded
"К-n"/"В-n", and stop names contain one another ("Цукровий завод" / "Завод", "Старий млин" /
"Млин"). ``build(town)`` lays out the features in metres around the centre; ``write(town, dir)``
writes GeoJSON files and a manifest that ``manage.py load_demo --dir`` loads.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, mapping

__all__ = ["TOWNS", "Street", "Town", "build", "hromada_config", "write"]

LOCAL = "EPSG:32636"  # UTM 36N: metres, valid for both towns
SYNTHETIC = "CC0 1.0 (synthetic)"


@dataclass
class Street:
    kind: str  # вулиця, провулок, проспект, бульвар, площа
    short: str  # "Тараса Шевченка"
    loc: str  # after "на", "по": "Садовій"
    gen: str  # after "біля", "перехрестя": "Садової"
    ru: str  # Russian form of the name: "Садовая"
    latin: str  # national standard (KMU 2010): "Sadova"
    settlement: str = ""
    line: LineString | None = None

    @property
    def full(self) -> str:
        return f"{self.kind} {self.short}"


@dataclass
class Town:
    slug: str
    name: str
    center: tuple[float, float]  # lon, lat
    streets: list[Street] = field(default_factory=list)
    poles: list[dict] = field(default_factory=list)  # number, ref, street, x, y
    manholes: list[dict] = field(default_factory=list)  # ref, network, street, x, y
    houses: list[dict] = field(default_factory=list)  # street, number, x, y (centroid)
    stops: list[dict] = field(default_factory=list)  # name, ru, x, y
    settlements: list[dict] = field(default_factory=list)  # name, polygon
    pole_prefix: str = ""

    def transformers(self):
        to_local = Transformer.from_crs(4326, LOCAL, always_xy=True)
        cx, cy = to_local.transform(*self.center)
        to_ll = Transformer.from_crs(LOCAL, 4326, always_xy=True)
        return (cx, cy), to_ll


S = Street
YASENIV_TOWN = [
    S("вулиця", "Садова", "Садовій", "Садової", "Садовая", "Sadova"),
    S("вулиця", "Тараса Шевченка", "Тараса Шевченка", "Тараса Шевченка", "Тараса Шевченко",
      "Tarasa Shevchenka"),
    S("проспект", "Незалежності", "Незалежності", "Незалежності", "Независимости",
      "Nezalezhnosti"),
    S("вулиця", "Лесі Українки", "Лесі Українки", "Лесі Українки", "Леси Украинки",
      "Lesi Ukrainky"),
    S("вулиця", "Героїв Крут", "Героїв Крут", "Героїв Крут", "Героев Крут", "Heroiv Krut"),
    S("вулиця", "Соборна", "Соборній", "Соборної", "Соборная", "Soborna"),
    S("вулиця", "Шкільна", "Шкільній", "Шкільної", "Школьная", "Shkilna"),
    S("вулиця", "Вишнева", "Вишневій", "Вишневої", "Вишневая", "Vyshneva"),
    S("бульвар", "Дружби", "Дружби", "Дружби", "Дружбы", "Druzhby"),
    S("вулиця", "Івана Франка", "Івана Франка", "Івана Франка", "Ивана Франко", "Ivana Franka"),
    S("вулиця", "Зелена", "Зеленій", "Зеленої", "Зеленая", "Zelena"),
    S("вулиця", "Молодіжна", "Молодіжній", "Молодіжної", "Молодежная", "Molodizhna"),
    S("вулиця", "Польова", "Польовій", "Польової", "Полевая", "Polova"),
    S("вулиця", "Козацька", "Козацькій", "Козацької", "Казацкая", "Kozatska"),
]  # fmt: skip
YASENIV_EXTRA = [
    S("площа", "Соборна", "Соборній", "Соборної", "Соборная", "Soborna"),
    S("провулок", "Вишневий", "Вишневому", "Вишневого", "Вишневый", "Vyshnevyi"),
    S("вулиця", "Миколи Садовського", "Миколи Садовського", "Миколи Садовського",
      "Николая Садовского", "Mykoly Sadovskoho"),
]  # fmt: skip
LOZUVATKA = [
    S("вулиця", "Садова", "Садовій", "Садової", "Садовая", "Sadova"),
    S("вулиця", "Шкільна", "Шкільній", "Шкільної", "Школьная", "Shkilna"),
    S("вулиця", "Лугова", "Луговій", "Лугової", "Луговая", "Luhova"),
]
STEPANIVKA_MAIN = S("вулиця", "Центральна", "Центральній", "Центральної", "Центральная",
                    "Tsentralna")  # fmt: skip
STEPANIVKA_RIVER = S("вулиця", "Набережна", "Набережній", "Набережної", "Набережная",
                     "Naberezhna")  # fmt: skip
STEPANIVKA_SIDE = [
    S("вулиця", "Миру", "Миру", "Миру", "Мира", "Myru"),
    S("вулиця", "Степова", "Степовій", "Степової", "Степная", "Stepova"),
    S("вулиця", "Квіткова", "Квітковій", "Квіткової", "Цветочная", "Kvitkova"),
    S("вулиця", "Травнева", "Травневій", "Травневої", "Майская", "Travneva"),
    S("вулиця", "В'ячеслава Чорновола", "В'ячеслава Чорновола", "В'ячеслава Чорновола",
      "Вячеслава Черновола", "Viacheslava Chornovola"),
    S("вулиця", "Олени Теліги", "Олени Теліги", "Олени Теліги", "Елены Телиги", "Oleny Telihy"),
    S("вулиця", "Солов'їна", "Солов'їній", "Солов'їної", "Соловьиная", "Solovina"),
    S("провулок", "Степовий", "Степовому", "Степового", "Степной", "Stepovyi"),
    S("вулиця", "Гетьмана Сагайдачного", "Гетьмана Сагайдачного", "Гетьмана Сагайдачного",
      "Гетмана Сагайдачного", "Hetmana Sahaidachnoho"),
    S("вулиця", "Залізнична", "Залізничній", "Залізничної", "Железнодорожная", "Zaliznychna"),
    S("вулиця", "Покровська", "Покровській", "Покровської", "Покровская", "Pokrovska"),
]  # fmt: skip
KRYNYTSI = [
    S("вулиця", "Центральна", "Центральній", "Центральної", "Центральная", "Tsentralna"),
    S("вулиця", "Миру", "Миру", "Миру", "Мира", "Myru"),
    S("вулиця", "Польова", "Польовій", "Польової", "Полевая", "Polova"),
]


def _copy(street: Street, settlement: str, line: LineString) -> Street:
    return Street(street.kind, street.short, street.loc, street.gen, street.ru, street.latin,
                  settlement, line)  # fmt: skip


def _rotate(line: LineString, deg: float) -> LineString:
    a = math.radians(deg)
    return LineString(
        [(x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a))
         for x, y in line.coords]
    )  # fmt: skip


def _layout_yaseniv() -> list[Street]:
    town, out = "м. Ясенів", []
    for i, st in enumerate(YASENIV_TOWN[:7]):  # east-west, 120 m apart
        y = -360 + 120 * i
        out.append(_copy(st, town, _rotate(LineString([(-430, y), (430, y)]), 20)))
    for i, st in enumerate(YASENIV_TOWN[7:]):  # north-south, 140 m apart
        x = -420 + 140 * i
        out.append(_copy(st, town, _rotate(LineString([(x, -380), (x, 380)]), 20)))
    square, lane, sad = YASENIV_EXTRA
    out.append(_copy(square, town, _rotate(LineString([(-40, 20), (40, 20)]), 20)))
    out.append(_copy(lane, town, _rotate(LineString([(-420, 420), (-420, 560)]), 20)))
    out.append(_copy(sad, town, _rotate(LineString([(430, -360), (620, -360)]), 20)))
    village = "с. Лозуватка"
    ox = 3200
    out.append(_copy(LOZUVATKA[0], village, LineString([(ox - 400, 0), (ox + 400, 0)])))
    out.append(_copy(LOZUVATKA[1], village, LineString([(ox, -350), (ox, 350)])))
    out.append(_copy(LOZUVATKA[2], village, LineString([(ox - 400, 200), (ox + 200, 200)])))
    return out


def _layout_stepanivka() -> list[Street]:
    town, out = "смт Степанівка", []
    out.append(_copy(STEPANIVKA_MAIN, town,
                     LineString([(-1250, -60), (-400, 0), (400, 40), (1250, -20)])))  # fmt: skip
    out.append(_copy(STEPANIVKA_RIVER, town, LineString([(-1050, -420), (1050, -420)])))
    for i, st in enumerate(STEPANIVKA_SIDE):
        x = -1000 + 200 * i
        north = i % 2 == 0
        line = LineString([(x, -5), (x + 30, 380)]) if north else LineString([(x, 20), (x, -420)])
        out.append(_copy(st, town, line))
    village = "с. Криниці"
    out.append(_copy(KRYNYTSI[0], village, LineString([(-500, 2600), (500, 2600)])))
    out.append(_copy(KRYNYTSI[1], village, LineString([(0, 2250), (0, 2950)])))
    out.append(_copy(KRYNYTSI[2], village, LineString([(-500, 2850), (300, 2850)])))
    return out


def _side_point(line: LineString, d: float, offset: float) -> tuple[float, float]:
    """The point ``d`` metres along ``line``, ``offset`` metres to its left (negative: right)."""
    p = line.interpolate(d)
    q = line.interpolate(min(d + 1.0, line.length))
    if q.equals(p):
        q, p = p, line.interpolate(d - 1.0)
    dx, dy = q.x - p.x, q.y - p.y
    n = math.hypot(dx, dy) or 1.0
    return p.x - dy / n * offset, p.y + dx / n * offset


def _furnish(town: Town, stops: list[tuple[str, str, int, float]]) -> None:
    """Poles, manholes, houses and stops along the streets (deterministic, no randomness)."""
    sewer = water = 0
    for si, st in enumerate(town.streets):
        length = st.line.length
        for n, d in enumerate(range(10, int(length) - 5, 35), start=1):
            x, y = _side_point(st.line, d, 7.0)
            ref = f"{town.pole_prefix}{n}"
            town.poles.append({"number": n, "ref": ref, "street": st, "x": x, "y": y})
        for k, d in enumerate(range(30, int(length) - 10, 90)):
            x, y = _side_point(st.line, d, -3.0)
            if (si + k) % 2:
                sewer += 1
                ref, net = f"К-{sewer}", "каналізація"
            else:
                water += 1
                ref, net = f"В-{water}", "водопровід"
            town.manholes.append({"ref": ref, "network": net, "street": st, "x": x, "y": y})
        if st.kind == "площа":
            continue
        for k, d in enumerate(range(20, int(length) - 15, 30)):
            for side, number in ((1, 2 * k + 1), (-1, 2 * k + 2)):
                x, y = _side_point(st.line, d, 22.0 * side)
                town.houses.append({"street": st, "number": str(number), "x": x, "y": y})
    for name, ru, si, frac in stops:
        st = town.streets[si]
        x, y = _side_point(st.line, st.line.length * frac, 12.0)
        town.stops.append({"name": name, "ru": ru, "x": x, "y": y, "street": st})
    for name in sorted({s.settlement for s in town.streets}):
        lines = [s.line for s in town.streets if s.settlement == name]
        hull = shapely.convex_hull(shapely.union_all(lines)).buffer(180)
        town.settlements.append({"name": name, "polygon": hull})


def build(slug: str) -> Town:
    if slug == "yaseniv":
        town = Town("yaseniv", "Ясенівська громада (синтетична)", (30.62, 50.71))
        town.streets = _layout_yaseniv()
        stops = [("Центр", "Центр", 2, 0.5), ("Ринок", "Рынок", 9, 0.3),
                 ("Цукровий завод", "Сахарный завод", 0, 0.9), ("Завод", "Завод", 0, 0.15),
                 ("Лікарня", "Больница", 12, 0.7), ("Стара школа", "Старая школа", 6, 0.6),
                 ("Школа", "Школа", 6, 0.2), ("Лозуватка, центр", "Лозоватка, центр", 17, 0.5)]  # fmt: skip
    elif slug == "stepanivka":
        town = Town("stepanivka", "Степанівська громада (синтетична)", (34.93, 47.46))
        town.pole_prefix = "ОП-"
        town.streets = _layout_stepanivka()
        stops = [("Автостанція", "Автостанция", 0, 0.5), ("Елеватор", "Элеватор", 0, 0.08),
                 ("Сільрада", "Сельсовет", 0, 0.3), ("Старий млин", "Старая мельница", 1, 0.8),
                 ("Млин", "Мельница", 1, 0.2), ("Пошта", "Почта", 0, 0.7),
                 ("Криниці", "Криницы", 13, 0.5)]  # fmt: skip
    else:
        raise ValueError(f"unknown town {slug!r}: yaseniv or stepanivka")
    _furnish(town, stops)
    return town


def hromada_config(town: Town) -> dict:
    """GEOPORTAL_HROMADA for a portal configured as this town's hromada."""
    lon, lat = town.center
    return {
        "name_uk": town.name, "name_en": town.slug.title(), "katotth": "UA00000000000000000",
        "center": [lon, lat], "extent": [lon - 0.12, lat - 0.08, lon + 0.12, lat + 0.08],
        "local_crs": LOCAL, "zoom": 14,
    }  # fmt: skip


def _collection(features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(props: dict, geom) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def write(town: Town, out: Path) -> None:
    """GeoJSON files (EPSG:4326) and manifest.json of ``town`` in ``out``."""
    (cx, cy), to_ll = town.transformers()

    def ll(geom):
        return shapely.transform(
            geom, lambda xy: list(zip(*to_ll.transform(xy[:, 0] + cx, xy[:, 1] + cy), strict=True))
        )

    out.mkdir(parents=True, exist_ok=True)
    files = {
        "settlements": _collection(
            _feature({"name": s["name"]}, ll(s["polygon"])) for s in town.settlements
        ),
        "streets": _collection(
            _feature({"name": s.full, "type": s.kind, "settlement": s.settlement}, ll(s.line))
            for s in town.streets
        ),
        "buildings": _collection(
            _feature(
                {"street": h["street"].full, "housenum": h["number"]},
                ll(Point(h["x"], h["y"]).buffer(6, cap_style="square")),
            )
            for h in town.houses
        ),  # fmt: skip
        "poles": _collection(
            _feature({"number": p["ref"], "street": p["street"].full}, ll(Point(p["x"], p["y"])))
            for p in town.poles
        ),
        "manholes": _collection(
            _feature({"manhole_id": m["ref"], "network": m["network"]}, ll(Point(m["x"], m["y"])))
            for m in town.manholes
        ),
        "stops": _collection(
            _feature({"name": s["name"]}, ll(Point(s["x"], s["y"]))) for s in town.stops
        ),
    }
    for name, body in files.items():
        (out / f"{name}.geojson").write_text(json.dumps(body, ensure_ascii=False))
    layers = [
        ("settlements", "Населені пункти", "public", "settlements", {}),
        ("streets", "Вулиці", "public", "streets", {"street_name": "name"}),
        ("buildings", "Будівлі", "public", "buildings", {"address": ["street", "housenum"]}),
        ("poles", "Опори вуличного освітлення", "staff", "", {"landmark_ref": "number"}),
        ("manholes", "Колодязі мереж", "staff", "", {"landmark_ref": "manhole_id"}),
        ("stops", "Зупинки громадського транспорту", "public", "stops", {"landmark_ref": "name"}),
    ]
    manifest = {"layers": [
        {"slug": f"{town.slug}-{name}", "file": f"{name}.geojson", "title_uk": title,
         "title_en": name.title(), "category": "other", "kind": "generic", "access": access,
         "role": role, "licence": SYNTHETIC, "attribution": "Синтетичні дані оцінки локатора",
         "source": "bench/locator_eval/towns.py", **extra}
        for name, title, access, role, extra in layers
    ]}  # fmt: skip
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))


TOWNS = ["yaseniv", "stepanivka"]
