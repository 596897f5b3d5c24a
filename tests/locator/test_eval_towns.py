"""The independent evaluation sets (bench/locator_eval): nothing of the parser in them, halves
fixed by the report id, and the committed data is what the generator makes."""

import ast
import hashlib
from pathlib import Path

from bench.locator_eval import generate

PACKAGE = Path(generate.__file__).parent


def test_generator_imports_nothing_of_the_locator():
    for path in PACKAGE.glob("*.py"):
        if path.name == "run.py":  # the runner calls locate(): it is what is measured
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert not any(m.startswith("geoportal") for m in modules), (path.name, modules)


def test_halves_are_fixed_by_the_id_and_balanced():
    assert generate.half_of("yaseniv-glued-000") == generate.half_of("yaseniv-glued-000")
    halves = [generate.half_of(f"t-f-{i:03d}") for i in range(1000)]
    assert 400 < halves.count("test") < 600


def test_committed_sets_are_what_the_generator_makes(tmp_path):
    for slug in ("yaseniv", "stepanivka"):
        generate.generate(slug, tmp_path)
        for name in ("items.jsonl", "poles.geojson", "manifest.json"):
            made = hashlib.sha256((tmp_path / slug / name).read_bytes()).hexdigest()
            kept = hashlib.sha256((generate.OUT / slug / name).read_bytes()).hexdigest()
            assert made == kept, f"{slug}/{name}: run python -m bench.locator_eval.generate"
