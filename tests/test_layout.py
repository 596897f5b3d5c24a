"""Layout rules of the code base checked over the source tree: no function (nested ones
included) in the project's Python files is longer than 80 lines. Migrations, fixtures/,
virtualenvs, node_modules and hidden or generated folders are not the project's own code."""

from __future__ import annotations

import ast
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 80
# Folders never searched, wherever they are; hidden ones (.venv, .git, .pg, bench/.peer-venv)
# and any virtualenv (a folder holding pyvenv.cfg) are skipped too.
SKIPPED = {"migrations", "fixtures", "node_modules", "__pycache__", "test-artifacts"}
# The running portal's own folders at the top of the checkout (git-ignored).
SKIPPED_AT_TOP = {"var", "staticfiles", "media"}


def _searched(folder: str, name: str, root: Path) -> bool:
    if name in SKIPPED or name.startswith("."):
        return False
    if name in SKIPPED_AT_TOP and Path(folder) == root:
        return False
    return not (Path(folder, name) / "pyvenv.cfg").exists()


def python_files(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if _searched(folder, d, root))
        found += [Path(folder, f) for f in sorted(files) if f.endswith(".py")]
    return found


def long_functions(root: Path, limit: int = LIMIT) -> list[str]:
    """``path:line name length`` of every function or method longer than ``limit`` lines."""
    offenders = []
    for path in python_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        where = path.relative_to(root).as_posix()
        for node in sorted(functions, key=lambda node: node.lineno):
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                offenders.append(f"{where}:{node.lineno} {node.name} {length}")
    return offenders


def test_no_function_is_longer_than_80_lines():
    offenders = long_functions(ROOT)
    assert not offenders, (
        f"{len(offenders)} function(s) longer than {LIMIT} lines; split each into named steps:\n"
        + "\n".join(offenders)
    )


def _function(name: str, body_lines: int, indent: str = "") -> str:
    body = "".join(f"{indent}    x = {i}\n" for i in range(body_lines))
    return f"{indent}def {name}():\n{body}"


def test_long_functions_finds_nested_and_async_ones_and_skips_what_is_not_ours(tmp_path):
    (tmp_path / "pkg").mkdir()
    outer = "def outer():\n" + _function("inner", 81, "    ") + "    return inner\n"
    (tmp_path / "pkg" / "mod.py").write_text(
        outer + _function("short", 79) + "async " + _function("slow", 80)
    )
    for skipped in ("pkg/migrations", ".venv/lib", "node_modules/x", "fixtures", "env", "var"):
        (tmp_path / skipped).mkdir(parents=True)
        (tmp_path / skipped / "long.py").write_text(_function("generated", 200))
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")

    assert long_functions(tmp_path) == [
        "pkg/mod.py:1 outer 84",
        "pkg/mod.py:2 inner 82",
        "pkg/mod.py:165 slow 81",
    ]
