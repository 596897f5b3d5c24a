"""Domain kinds: their checks and attribute mappings, on small generated files in real PostGIS."""

import json

import pytest
from django.db import connection

from importers.kinds import KINDS, Kind
from importers.kinds.accessibility import yes_no
from importers.kinds.cadastral import valid_cadastral_number, valid_purpose
from importers.kinds.utility import network_type
from importers.pipeline import ImportOptions, import_vector
from layers.models import Layer, LayerKind

X, Y = 32.764, 48.110


def _square(x, y, d, props):
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _write(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def _rows(sql):
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_every_layer_kind_has_a_module():
    assert set(KINDS) == set(LayerKind.values)


def test_a_kind_without_its_methods_fails_loudly():
    class Half(Kind):
        name = "half"

    with pytest.raises(NotImplementedError):
        Half(None).schema([])


@pytest.mark.parametrize(
    "value, expected",
    [("так", True), ("Ні", False), ("є", True), ("немає", False), ("yes", True), ("NO", False),
     ("1", True), ("0", False), ("+", True), ("-", False), ("", None), ("може", None), (None, None)],
)  # fmt: skip
def test_yes_no_spellings(value, expected):
    assert yes_no(value) is expected


def test_code_checks():
    assert valid_cadastral_number("3521910100:02:033:0001")
    assert not valid_cadastral_number("3521910100:2:033:0001")
    assert valid_purpose("02.01") and valid_purpose("16.00")
    assert not valid_purpose("02.99") and not valid_purpose("2.1") and not valid_purpose("16.01")
    assert [network_type(v) for v in ("каналізація", "ПЛ-10 кВ", "водопостачання", "газопровід")] == [
        "sewer", "power", "water", "gas",
    ]  # fmt: skip


@pytest.mark.django_db
def test_cadastral_flags_area_format_duplicates_and_codes(tmp_path):
    d = 0.001  # ~74 x 111 m = about 0.83 ha on the ground
    good = {
        "cadnum": "3521910100:01:001:0001",
        "area_ha": 0.8258,
        "purpose": "02.01",
        "ownership": "100",
    }
    features = [
        _square(X, Y, d, good),
        _square(X + 0.002, Y, d, {**good, "area_ha": 1.2}),  # declared area 45 % off
        _square(X + 0.004, Y, d, {**good, "cadnum": "35219:1:1"}),  # bad format
        _square(X + 0.006, Y, d, {**good, "cadnum": "3521910100:01:001:0009", "purpose": "99.99",
                                  "ownership": "колгоспна"}),
    ]  # fmt: skip
    report = import_vector(
        _write(tmp_path / "p.geojson", features), ImportOptions(slug="kparcels", kind="cadastral")
    )
    text = "\n".join(report.warnings)
    assert "row 2: area 1.2000 ha" in text
    assert "row 3: cadastral number '35219:1:1'" in text
    assert "3521910100:01:001:0001 appears 2 times" in text  # rows 1 and 2
    assert "row 4: '99.99' is not in the КВЦПЗ" in text and "row 4: 'колгоспна'" in text
    assert _rows("SELECT ownership, area_mismatch FROM layerdata.kparcels ORDER BY fid")[:2] == [
        ("приватна", False), ("приватна", True),
    ]  # fmt: skip
    area = _rows("SELECT area_geom_ha FROM layerdata.kparcels ORDER BY fid LIMIT 1")[0][0]
    assert area == pytest.approx(0.8258, rel=0.01)


@pytest.mark.django_db
def test_masterplan_zone_names_from_the_code_list(tmp_path):
    features = [
        _square(X, Y, 0.001, {"kod_zony": "10102", "plan_name": "ГП", "approved": "2019-06-27"}),
        _square(X + 0.002, Y, 0.001, {"kod_zony": "77777", "plan_name": "ГП", "approved": "2019-06-27"}),
    ]  # fmt: skip
    report = import_vector(
        _write(tmp_path / "z.geojson", features), ImportOptions(slug="kzones", kind="masterplan")
    )
    assert any("row 2: functional zone code '77777'" in w for w in report.warnings)
    assert _rows("SELECT kod_zony, zone_name FROM layerdata.kzones ORDER BY fid") == [
        ("10102", "території житлової садибної забудови"), ("77777", None),
    ]  # fmt: skip


@pytest.mark.django_db
def test_utility_network_type_and_poles_become_landmarks(tmp_path):
    csv = tmp_path / "poles.csv"
    csv.write_text(
        "lon,lat,nomer,merezha\n32.764,48.110,17,ПЛ-10 кВ\n32.765,48.111,,вуличне освітлення\n",
        "utf-8",
    )
    report = import_vector(csv, ImportOptions(slug="kpoles", kind="utility", crs="EPSG:4326"))
    assert report.imported == 2 and any("row 2: asset without an id" in w for w in report.warnings)
    assert _rows("SELECT network_type FROM layerdata.kpoles ORDER BY fid") == [
        ("power",),
        ("lighting",),
    ]
    assert Layer.objects.get(slug="kpoles").landmark_ref == "nomer"


@pytest.mark.django_db
def test_accessibility_flags_normalised_from_varied_columns(tmp_path):
    csv = tmp_path / "zaklady.csv"
    csv.write_text(
        "name,lat,lon,Вхід без сходинок,Пандус,Lift,Туалет для людей з інвалідністю,Шрифт Брайля\n"
        "ЦНАП,48.110,32.764,так,є,yes,1,може\n"
        "Ліцей,48.111,32.765,ні,немає,no,0,\n",
        "utf-8",
    )
    report = import_vector(
        csv, ImportOptions(slug="kfacilities", kind="accessibility", crs="EPSG:4326")
    )
    names = Layer.objects.get(slug="kfacilities").attribute_names()
    assert names == ["name", "step_free_entrance", "ramp", "lift", "accessible_toilet", "braille"]
    assert _rows(
        "SELECT step_free_entrance, ramp, lift, accessible_toilet, braille FROM layerdata.kfacilities ORDER BY fid"
    ) == [(True, True, True, True, None), (False, False, False, False, None)]
    assert any("braille: 'може' is neither yes nor no" in w for w in report.warnings)


@pytest.mark.django_db
def test_utility_asset_id_named_by_the_user_is_checked(tmp_path):
    """--landmark-ref as the file spells the column ("Номер опори"): the missing-id check runs
    on that column, not on a name that is not in the batch."""
    csv = tmp_path / "poles.csv"
    csv.write_text("lon,lat,Номер опори\n32.764,48.110,17\n32.765,48.111,\n", "utf-8")
    options = ImportOptions(slug="kpoles2", kind="utility", crs="EPSG:4326",
                            layer_fields={"landmark_ref": "Номер опори"})  # fmt: skip
    report = import_vector(csv, options)
    assert any("row 2: asset without an id" in w for w in report.warnings)
