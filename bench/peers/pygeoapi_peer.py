"""pygeoapi peer for the benchmarks: OGC API - Features items over the bench DB's parcels.

``start_pygeoapi(dsn) -> (url, stop)`` creates a VIEW ``public.parcels_pygeoapi`` with one
geometry column (pygeoapi's PostgreSQL provider fails on a table with two), writes a config
and serves it with Flask (no debugger, no reloader) from the separate, git-ignored venv
bench/.peer-venv (``python3 -m venv bench/.peer-venv && bench/.peer-venv/bin/pip install
pygeoapi psycopg2-binary sqlalchemy geoalchemy2``). Collection id: ``parcels``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from geoportal.ops.localserver import free_port, stop, wait_listening

VENV = Path(__file__).resolve().parent.parent / ".peer-venv"

CONFIG = """server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  pretty_print: false
  limits: {{default_items: 10, max_items: 10000}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OSM}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: {{en: peer}}, description: {{en: peer}}, keywords: {{en: [bench]}},
    keywords_type: theme, terms_of_service: 'https://creativecommons.org/licenses/by/4.0/',
    url: 'http://127.0.0.1:{port}'}}
  license: {{name: CC-BY 4.0, url: 'https://creativecommons.org/licenses/by/4.0/'}}
  provider: {{name: bench, url: 'http://127.0.0.1'}}
  contact: {{name: bench, email: bench@example.org}}
resources:
  parcels:
    type: collection
    title: Parcels
    description: bench parcels
    keywords: [parcels]
    links: []
    extents: {{spatial: {{bbox: [31.9, 48.3, 32.6, 48.7],
      crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {{host: '{host}', port: {pgport}, dbname: {dbname}, user: {user},
          password: '{password}', search_path: [public]}}
        id_field: id
        table: parcels_pygeoapi
        geom_field: geom
"""


PEER_PACKAGES = ["pygeoapi==0.21.0", "psycopg2-binary", "sqlalchemy", "geoalchemy2"]


def ensure_peer_venv() -> None:
    """pygeoapi lives in its own venv (its pins clash with the portal's): made on first use."""
    if (VENV / "bin" / "flask").exists() and (VENV / "bin" / "pygeoapi").exists():
        return
    print("installing the pygeoapi peer into bench/.peer-venv ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(VENV / "bin" / "pip"), "install", "-q", *PEER_PACKAGES],
        check=True,
    )


def start_pygeoapi(dsn: dict):
    ensure_peer_venv()
    import psycopg

    with psycopg.connect(**dsn, autocommit=True) as conn:
        conn.execute(
            "CREATE OR REPLACE VIEW public.parcels_pygeoapi AS "
            "SELECT id, cadnum, purpose, area_ha, geom FROM public.parcels"
        )
    port = free_port()
    directory = Path(tempfile.mkdtemp(prefix="peer-pygeoapi-"))
    config = directory / "config.yml"
    config.write_text(
        CONFIG.format(
            port=port,
            host=dsn["host"],
            pgport=dsn.get("port", 5432),
            dbname=dsn["dbname"],
            user=dsn["user"],
            password=dsn.get("password") or "",
        )
    )
    openapi = directory / "openapi.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run(
        [str(VENV / "bin" / "pygeoapi"), "openapi", "generate", str(config), "--output-file",
         str(openapi)],
        env=env, check=True, capture_output=True, cwd=directory,
    )  # fmt: skip
    proc = subprocess.Popen(
        [str(VENV / "bin" / "flask"), "--app", "pygeoapi.flask_app", "run", "--host",
         "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=directory,
    )  # fmt: skip
    wait_listening(port, proc, timeout=60, name="pygeoapi")

    def stop_pygeoapi():
        stop(proc)
        shutil.rmtree(directory, ignore_errors=True)

    return f"http://127.0.0.1:{port}", stop_pygeoapi
