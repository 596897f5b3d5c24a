"""MapServer 8 peer for the benchmarks: WFS 2.0 (GeoJSON, GML 3.2) and MVT tiles for
``public.parcels`` and ``public.buildings`` of the bench database.

``start_mapserver(dsn) -> (url, stop)`` writes a mapfile and a MapServer config (Debian's
MapServer 8.0 ships no /etc/mapserver.conf) into a temp directory and starts a small loopback
HTTP front that runs the ``mapserv`` CGI once per request, like the measured peer setup in
the shared notes on peers (notes/peers.md) (pitfalls there: subquery in DATA so the other geometry column is not
fetched, EDGE_BUFFER in 256 px units, CLOSE_CONNECTION only matters for FastCGI).

``url`` is the full mapserv endpoint with ``map=`` already in it, so callers append
``&SERVICE=WFS&...`` or ``&mode=tile&tilemode=gmap&tile=x+y+z&layers=parcels&map.imagetype=mvt``.
Layer names: ``parcels``, ``buildings`` (geometry ``geom``, EPSG:4326) and ``parcels3857``,
``buildings3857`` (geometry ``geom3857``). Needs Debian packages cgi-mapserver mapserver-bin.

``start_mapserver_fastcgi(dsn, processes=2) -> (url, stop)`` is the same mapserv under FastCGI:
``processes`` long-running mapserv processes started by Debian's spawn-fcgi (one per port, in the
foreground), behind Debian's nginx (fastcgi_pass to an upstream of them, keepalive connections
from the client), so each request pays no process start-up (the CGI's ~60 ms) and the map file
is parsed once per process. Needs spawn-fcgi and nginx.

``start_mapscript_wms(dsn) -> (url, stop)`` is the WMS peer without CGI start-up: MapServer 8's
mapscript (Debian python3-mapscript) in one long-running process, the map parsed once and cloned
per request (as the portal does), over the portal's own copy of the bench parcels
(``layerdata.parcels``, EPSG:3857) with the portal's default polygon style and PNG format, so
only the portal's own work (Django, access, map selection) is the difference.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MAPSERV = "/usr/lib/cgi-bin/mapserv"

_LAYER = """
  LAYER
    NAME "{name}"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "{conn}"
    DATA "{geom} from (select {cols}, {geom} from public.{table}) as sub using unique id using srid={srid}"
    PROCESSING "CLOSE_CONNECTION=DEFER"
    EXTENT {extent}
    PROJECTION
      "init=epsg:{srid}"
    END
    METADATA
      "ows_title"          "{name}"
      "gml_include_items"  "all"
      "gml_featureid"      "id"
      "gml_types"          "auto"
      "wfs_enable_request" "*"
      "wfs_srs"            "EPSG:4326 EPSG:3857"
      "wfs_use_default_extent_for_getfeature" "false"
    END
    CLASS
      NAME "{name}"
      STYLE
        OUTLINECOLOR 80 80 80
      END
    END
  END
"""

_MAP = """MAP
  NAME "peers"
  STATUS ON
  SIZE 512 512
  MAXSIZE 4096
  UNITS DD
  EXTENT 31.9 48.3 32.6 48.7
  IMAGETYPE "mvt"
  PROJECTION
    "init=epsg:4326"
  END
  OUTPUTFORMAT
    NAME "mvt"
    DRIVER MVT
    MIMETYPE "application/vnd.mapbox-vector-tile"
    FORMATOPTION "EXTENT=4096"
    FORMATOPTION "EDGE_BUFFER=4"
  END
  OUTPUTFORMAT
    NAME "geojson"
    DRIVER "OGR/GEOJSON"
    MIMETYPE "application/json; subtype=geojson"
    FORMATOPTION "STORAGE=stream"
    FORMATOPTION "FORM=SIMPLE"
    FORMATOPTION "LCO:RFC7946=YES"
  END
  WEB
    METADATA
      "mvt_size"                  "512"
      "ows_title"                 "Peer benchmark: MapServer over the bench database"
      "ows_onlineresource"        "{url}"
      "ows_srs"                   "EPSG:4326 EPSG:3857"
      "ows_enable_request"        "*"
      "wfs_getfeature_formatlist" "geojson,application/gml+xml; version=3.2"
      "wfs_maxfeatures"           "10000"
      "ows_encoding"              "UTF-8"
    END
  END
{layers}
END
"""

_CONFIG = """CONFIG
  ENV
    MS_MAP_PATTERN "^{dir}/"
  END
END
"""

_TABLES = {
    "parcels": "id, cadnum, purpose, area_ha",
    "buildings": "id",
}
_EXTENT = {4326: "31.9 48.3 32.6 48.7", 3857: "3551000 6150000 3629000 6220000"}


def _conninfo(dsn: dict) -> str:
    keys = ("host", "port", "dbname", "user", "password")
    return " ".join(f"{k}={dsn[k]}" for k in keys if dsn.get(k) not in (None, ""))


def _buildings_columns(dsn: dict) -> str:
    """The bench buildings table's attribute columns (id plus whatever text columns it has)."""
    import psycopg

    with psycopg.connect(**dsn) as conn:
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema='public' "
            "AND table_name='buildings' AND udt_name NOT IN ('geometry') ORDER BY ordinal_position"
        ).fetchall()
    return ", ".join(r[0] for r in rows) or "id"


def write_mapfile(directory: Path, dsn: dict, url: str) -> Path:
    conn = _conninfo(dsn)
    cols = dict(_TABLES, buildings=_buildings_columns(dsn))
    layers = []
    for table, columns in cols.items():
        for suffix, geom, srid in (("", "geom", 4326), ("3857", "geom3857", 3857)):
            layers.append(
                _LAYER.format(
                    name=table + suffix,
                    conn=conn,
                    geom=geom,
                    cols=columns,
                    table=table,
                    srid=srid,
                    extent=_EXTENT[srid],
                )
            )
    mapfile = directory / "peers.map"
    mapfile.write_text(_MAP.format(url=url, layers="".join(layers)))
    (directory / "mapserver.conf").write_text(_CONFIG.format(dir=directory))
    return mapfile


_WMS_MAP = """MAP
  NAME "peer-wms"
  SIZE 512 512
  MAXSIZE 4096
  UNITS METERS
  EXTENT 3551000 6150000 3629000 6220000
  IMAGECOLOR 255 255 255
  PROJECTION "init=epsg:3857" END
  OUTPUTFORMAT NAME "png" DRIVER "AGG/PNG" MIMETYPE "image/png" IMAGEMODE RGBA
    EXTENSION "png" TRANSPARENT ON FORMATOPTION "COMPRESSION=1" END
  WEB METADATA
    "wms_title" "peer" "wms_onlineresource" "http://127.0.0.1/wms?"
    "wms_srs" "EPSG:3857 EPSG:4326" "wms_enable_request" "*"
  END END
  LAYER
    NAME "parcels" TYPE POLYGON STATUS ON
    EXTENT 3551000 6150000 3629000 6220000
    PROJECTION "init=epsg:3857" END
    METADATA "wms_title" "parcels" END
    CONNECTIONTYPE POSTGIS
    CONNECTION "{conn}"
    DATA 'geom from (select "fid", "cadnum", "purpose", "area_ha", geom from layerdata."parcels") as sub using unique fid using srid=3857'
    PROCESSING "CLOSE_CONNECTION=DEFER"
    CLASS NAME "parcels" STYLE OUTLINECOLOR 51 51 51 WIDTH 1.0 END END
  END
END
"""


def _start_front(port: int, directory: Path, command: str, arg: str, name: str):
    """This file run as a loopback HTTP front (``command``: serve or serve-mapscript) until the
    returned stop function ends it and removes ``directory``."""
    from geoportal.ops.localserver import stop, wait_listening

    proc = subprocess.Popen([sys.executable, __file__, command, str(port), arg],
                            stdout=subprocess.DEVNULL)  # fmt: skip
    wait_listening(port, proc, timeout=20, name=name)

    def stop_front():
        stop(proc)
        shutil.rmtree(directory, ignore_errors=True)

    return stop_front


def start_mapscript_wms(dsn: dict):
    """MapServer 8 WMS via mapscript in one long-running process on loopback: (url, stop);
    ``url`` ends in ``/wms?``, callers append the GetMap parameters."""
    from geoportal.ops.localserver import free_port

    directory = Path(tempfile.mkdtemp(prefix="peer-mapscript-")).resolve()
    (directory / "wms.map").write_text(_WMS_MAP.format(conn=_conninfo(dsn)))
    port = free_port()
    stop_peer = _start_front(port, directory, "serve-mapscript", str(directory / "wms.map"),
                             name="mapscript WMS peer")  # fmt: skip
    return f"http://127.0.0.1:{port}/wms?", stop_peer


def _serve_mapscript(port: int, mapfile: str) -> None:
    """Threaded HTTP front over mapscript: one parsed map, a clone per request."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qsl

    import mapscript

    template = mapscript.mapObj(mapfile)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            path, _, query = self.path.partition("?")
            if path != "/wms":
                self.send_error(404)
                return
            with lock:
                mapobj = template.clone()
            request = mapscript.OWSRequest()
            for key, value in parse_qsl(query, keep_blank_values=True):
                request.setParameter(key, value)
            mapscript.msIO_installStdoutToBuffer()
            try:
                mapobj.OWSDispatch(request)
                raw = mapscript.msIO_getStdoutBufferBytes()
            finally:
                mapscript.msIO_resetHandlers()
            head, _, body = raw.partition(b"\r\n\r\n")
            content_type = head.decode("latin-1").partition(":")[2].strip() or "text/xml"
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def start_mapserver(dsn: dict):
    """Serve the bench tables through MapServer CGI on loopback: returns (url, stop)."""
    # imported here: this file also runs as the HTTP front's own script, without the project
    # root on sys.path
    from geoportal.ops.localserver import free_port

    if not os.path.exists(MAPSERV):
        raise RuntimeError("mapserv not found: apt-get install -y cgi-mapserver mapserver-bin")
    directory = Path(tempfile.mkdtemp(prefix="peer-mapserver-")).resolve()
    port = free_port()
    mapfile = write_mapfile(
        directory, dsn, f"http://127.0.0.1:{port}/mapserv?map={directory}/peers.map&"
    )
    stop_mapserver = _start_front(port, directory, "serve", str(directory / "mapserver.conf"),
                                  name="MapServer front")  # fmt: skip
    return f"http://127.0.0.1:{port}/mapserv?map={mapfile}", stop_mapserver


def start_mapserver_fastcgi(dsn: dict, processes: int = 2):
    """MapServer 8 as FastCGI (spawn-fcgi) behind nginx on loopback: returns (url, stop)."""
    from geoportal.ops.localserver import free_port, stop, wait_listening

    if not shutil.which("spawn-fcgi") or not shutil.which("nginx"):
        raise RuntimeError(
            "spawn-fcgi or nginx not found: apt-get install -y spawn-fcgi nginx-light"
        )
    directory = Path(tempfile.mkdtemp(prefix="peer-mapserver-fcgi-")).resolve()
    port = free_port()
    mapfile = write_mapfile(
        directory, dsn, f"http://127.0.0.1:{port}/mapserv?map={directory}/peers.map&"
    )
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "MAPSERVER_CONFIG_FILE": str(directory / "mapserver.conf")}  # fmt: skip
    procs, upstream = [], []
    for _ in range(processes):
        fcgi_port = free_port()
        procs.append(subprocess.Popen(
            ["spawn-fcgi", "-n", "-a", "127.0.0.1", "-p", str(fcgi_port), "--", MAPSERV],
            env=env, stdout=subprocess.DEVNULL,
        ))  # fmt: skip
        wait_listening(fcgi_port, procs[-1], timeout=20, name="mapserv FastCGI")
        upstream.append(f"    server 127.0.0.1:{fcgi_port};")
    tmp = directory / "nginx-tmp"
    tmp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    ups = "\n".join(upstream)
    (directory / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log warn;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp}/body;\n"
        f"  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fcgi;\n"
        f"  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n"
        f"  upstream mapserv {{\n{ups}\n  }}\n"
        f"  server {{\n    listen 127.0.0.1:{port};\n"
        "    location /mapserv {\n      include /etc/nginx/fastcgi_params;\n"
        "      fastcgi_buffers 64 64k;\n      fastcgi_pass mapserv;\n    }\n  }\n}\n"
    )
    nginx = subprocess.Popen(
        ["nginx", "-p", str(directory), "-c", str(directory / "nginx.conf"), "-g", "daemon off;"]
    )
    procs.append(nginx)
    wait_listening(port, nginx, timeout=10, name="nginx (MapServer FastCGI)")

    def stop_all():
        for proc in reversed(procs):
            stop(proc)
        shutil.rmtree(directory, ignore_errors=True)

    return f"http://127.0.0.1:{port}/mapserv?map={mapfile}", stop_all


def _serve(port: int, config: str) -> None:
    """Threaded HTTP front: GET /mapserv?... runs one mapserv CGI process per request."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            path, _, query = self.path.partition("?")
            if path != "/mapserv":
                self.send_error(404)
                return
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "MAPSERVER_CONFIG_FILE": config,
                "REQUEST_METHOD": "GET",
                "QUERY_STRING": query,
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": str(port),
                "SCRIPT_NAME": "/mapserv",
                "GATEWAY_INTERFACE": "CGI/1.1",
                "SERVER_PROTOCOL": "HTTP/1.1",
            }
            out = subprocess.run([MAPSERV], env=env, capture_output=True).stdout
            head, sep, body = out.partition(b"\r\n\r\n")
            if not sep:
                head, sep, body = out.partition(b"\n\n")
            status = 200
            headers = []
            for line in head.decode("latin-1").splitlines():
                name, _, value = line.partition(":")
                if name.lower() == "status":
                    status = int(value.strip().split()[0])
                elif name:
                    headers.append((name.strip(), value.strip()))
            self.send_response(status)
            for name, value in headers:
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # wrk closes its connections when its time is up

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "serve":
        _serve(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "serve-mapscript":
        _serve_mapscript(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(
            "usage: mapserver.py serve PORT CONFIG | serve-mapscript PORT MAPFILE "
            "(use start_mapserver() / start_mapscript_wms() from Python)"
        )
