"""The budget kind: the demo's CSV imports (points, lines and areas, Ukrainian amounts and
statuses); an XLSX with lon/lat imports the same way; wrong amounts, no place and unknown
statuses refuse the whole file with their row numbers, and nothing is imported (the layer
keeps its version and rows); the CLI says it in one line, without a traceback."""

import csv
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo" / "conditions" / "budget_projects.csv"
HEADER = ["назва", "сума, грн", "рік", "джерело фінансування", "статус", "підрядник", "lon", "lat"]
GOOD = [
    ["Ремонт тротуару", "1 250 000,50", "2025", "бюджет громади", "виконується", "ТОВ «Дорбуд»", "32.7641", "48.1101"],
    ["Сквер", "800000", "2026", "бюджет участі", "заплановано", "", "32.7700", "48.1120"],
]  # fmt: skip


def _import(path, slug="budget-test", **kw):
    call_command("import_layer", str(path), "--layer", slug, "--kind", "budget", "--crs", "EPSG:4326",
                 verbosity=0, **kw)  # fmt: skip


def _csv(tmp_path, rows, name="budget.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def _xlsx(tmp_path, rows, name="budget.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_demo_budget_imports(tmp_path):
    from layers.dynamic import feature_model
    from layers.models import Layer, LayerRole

    _import(DEMO, slug="budget-projects")
    layer = Layer.objects.get(slug="budget-projects")
    assert layer.kind == "budget" and layer.role == LayerRole.BUDGET
    rows = list(feature_model(layer).objects.all())
    assert len(rows) == 28
    assert {r.status for r in rows} <= {
        "planned",
        "tender",
        "in_progress",
        "completed",
        "suspended",
    }
    assert all(r.amount_uah > 0 and 2024 <= r.year <= 2026 for r in rows)
    assert {r.geom.geom_type for r in rows} == {"Point", "LineString", "Polygon"}


@pytest.mark.parametrize("writer", [_csv, _xlsx])
def test_good_file_imports(tmp_path, writer):
    from layers.dynamic import feature_model
    from layers.models import Layer

    _import(writer(tmp_path, GOOD))
    layer = Layer.objects.get(slug="budget-test")
    rows = sorted(feature_model(layer).objects.all(), key=lambda r: r.amount_uah)
    assert [r.amount_uah for r in rows] == [800000.0, 1250000.5]
    assert [r.status for r in rows] == ["planned", "in_progress"]
    assert rows[1].status_title == "виконується" and rows[1].year == 2025


BAD = [
    GOOD[0],
    ["Дорога", "сто тисяч", "2025", "бюджет громади", "виконується", "", "32.7641", "48.1101"],
    ["Парк", "500000", "2025", "бюджет громади", "виконується", "", "", ""],
    ["Школа", "900000", "2025", "бюджет громади", "майже готово", "", "32.7641", "48.1101"],
    ["Міст", "-5", "2025", "бюджет громади", "завершено", "", "32.7641", "48.1101"],
]  # fmt: skip


@pytest.mark.parametrize("writer", [_csv, _xlsx])
def test_bad_rows_refuse_the_file(tmp_path, writer):
    from layers.dynamic import feature_model
    from layers.models import Layer

    _import(_csv(tmp_path, GOOD, "first.csv"))
    layer = Layer.objects.get(slug="budget-test")
    version = layer.version
    with pytest.raises(CommandError) as caught:
        _import(writer(tmp_path, BAD))
    message = str(caught.value)
    assert "nothing imported" in message and "4 errors" in message, message
    assert "row 2: amount_uah 'сто тисяч'" in message
    assert "row 3: no place" in message
    assert "row 4: unknown status 'майже готово'" in message
    assert "row 5: amount_uah '-5'" in message
    layer.refresh_from_db()
    assert layer.version == version
    assert feature_model(layer).objects.count() == 2  # the first file's rows, untouched


def test_cli_one_line(tmp_path):
    path = _csv(tmp_path, BAD)
    env = {**__import__("tests.conftest").conftest.server_env()}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_layer", str(path), "--layer", "budget-cli",
         "--kind", "budget", "--crs", "EPSG:4326", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "row 4: unknown status" in done.stderr


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(
        "назва,рік,статус,lon,lat\nДорога,2025,завершено,32.76,48.11\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="no column for amount_uah"):
        _import(path)
