#!/usr/bin/env python3
"""Write the lock files from the virtualenv that runs the tests: requirements.lock (what the
portal needs at run time: the image installs exactly this) and requirements-dev.lock (that and
the test tools: `make` installs the project with it as constraints). Each pins every
distribution reached from pyproject.toml's dependencies, with the version installed here.

    .venv/bin/python scripts/lock-deps.py          # after changing pyproject.toml
    .venv/bin/python scripts/lock-deps.py --check  # exit 1 when a lock file is out of date
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def closure(requirements: list[str]) -> dict[str, str]:
    """name -> installed version of every distribution the requirements reach."""
    env = default_environment()
    pinned: dict[str, str] = {}
    todo = [(Requirement(r), frozenset()) for r in requirements]
    while todo:
        req, extras = todo.pop()
        if req.marker and not any(
            req.marker.evaluate({**env, "extra": e}) for e in (extras or {""})
        ):
            continue
        name = canonicalize_name(req.name)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            sys.exit(f"error: {req.name} is not installed in this virtualenv")
        seen = name in pinned
        pinned[name] = dist.version
        wanted = frozenset(req.extras)
        if seen and not wanted:
            continue
        for sub in dist.requires or []:
            sub_req = Requirement(sub)
            if sub_req.marker is None or any(
                sub_req.marker.evaluate({**env, "extra": e}) for e in (wanted or {""})
            ):
                todo.append((sub_req, wanted))
    return pinned


def render(pins: dict[str, str], what: str) -> str:
    head = f"# {what}: written by scripts/lock-deps.py from pyproject.toml; do not edit.\n"
    return head + "".join(f"{n}=={v}\n" for n, v in sorted(pins.items()))


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = closure(project["dependencies"])
    dev = closure(project["dependencies"] + project["optional-dependencies"]["dev"])
    files = {
        ROOT / "requirements.lock": render(runtime, "The portal's run-time dependencies"),
        ROOT / "requirements-dev.lock": render(dev, "Run time, tests and tools"),
    }
    if "--check" in sys.argv:
        stale = [p.name for p, text in files.items() if not p.exists() or p.read_text() != text]
        if stale:
            print(f"error: out of date: {', '.join(stale)} (run scripts/lock-deps.py)")
            return 1
        return 0
    for path, text in files.items():
        path.write_text(text)
        print(f"{path.name}: {text.count(chr(10)) - 1} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
