"""The README's configuration section names exactly the variables the code reads: every
"GEOPORTAL_..." string in the portal's code and deploy/ files, DATABASE_URL and
GDAL_LIBRARY_PATH; and no name it lists is unknown to the code (a stale entry)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CODE = ["core", "layers", "importers", "tiles", "geoportal", "devtools", "deploy", "manage.py"]
# Read by the machinery around the code rather than by it (compose and the postgis image).
DEPLOY_ONLY = {"POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD", "GEOPORTAL_TLS_DIR",
               "GEOPORTAL_BACKUP_HOST_DIR"}  # fmt: skip
INTERNAL = {"GEOPORTAL_TEST_TMP"}  # set by tests/settings.py for its own children


def code_names() -> set[str]:
    names = {"DATABASE_URL", "GDAL_LIBRARY_PATH"}
    for top in CODE:
        path = ROOT / top
        files = [path] if path.is_file() else [*path.rglob("*.py"), *path.rglob("*.conf"),
                                                  *path.rglob("*.sh")]  # fmt: skip
        for f in files:
            names |= set(re.findall(r"\bGEOPORTAL_[A-Z0-9_]*[A-Z0-9]\b", f.read_text()))
    return names - INTERNAL


def readme_section() -> str:
    text = (ROOT / "README.md").read_text()
    return text[text.index("## Configuration") : text.index("## Deployment")]


def test_every_variable_the_code_reads_is_documented():
    section = readme_section()
    missing = sorted(n for n in code_names() if f"`{n}`" not in section)
    assert not missing, f"README's configuration misses {missing}"


def test_the_readme_lists_no_variable_the_code_does_not_read():
    listed = set(re.findall(r"`((?:GEOPORTAL|POSTGRES)_[A-Z0-9_]+|DATABASE_URL|GDAL_LIBRARY_PATH)`",
                            readme_section()))  # fmt: skip
    compose = (ROOT / "docker-compose.yml").read_text()
    stale = sorted(n for n in listed - code_names() - DEPLOY_ONLY)
    assert not stale, f"README lists variables nothing reads: {stale}"
    assert all(n in compose for n in DEPLOY_ONLY)
