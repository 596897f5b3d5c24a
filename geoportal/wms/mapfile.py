"""A MapServer mapfile generated from the registry for a set of layers (those the caller may
see): one LAYER per portal layer over its PostGIS table (EPSG:3857) or its COG, a CLASS from
the layer's own ``style`` (colour, fill, opacity, line width, point radius, raster colour map),
the service metadata from core.service, a metadata URL to the layer's CSW record. ``map_for``
parses it once per thread and layer set (keyed by the layers' versions)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import mapscript
from django.conf import settings
from django.utils.html import escape

from core.conf import HROMADA
from core.service import SERVICE, service_text
from layers.models import GeometryType, Layer

from . import conf

__all__ = ["map_for", "mapfile_text"]

TYPES = {
    GeometryType.POINT: "POINT",
    GeometryType.MULTIPOINT: "POINT",
    GeometryType.LINESTRING: "LINE",
    GeometryType.MULTILINESTRING: "LINE",
    GeometryType.POLYGON: "POLYGON",
    GeometryType.MULTIPOLYGON: "POLYGON",
    GeometryType.RASTER: "RASTER",
}
WORLD = 559082264.0287178  # scale denominator of zoom 0 at 0.28 mm pixels (Web Mercator)
_cache = threading.local()


def q(value) -> str:
    """A mapfile string literal."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _rgb(colour: str | None) -> str | None:
    if not colour or not isinstance(colour, str) or not colour.startswith("#"):
        return None
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    try:
        return " ".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4))
    except ValueError:
        return None


def _connection() -> str:
    db = settings.DATABASES["default"]
    parts = {
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "dbname": db["NAME"],
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def _template(layer: Layer) -> str:
    """GetFeatureInfo HTML of one layer: its attributes' titles and values (HTML-escaped)."""
    path = conf.TEMPLATE_DIR / f"{layer.slug}.v{layer.version}.html"
    if not path.exists():
        conf.TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
        rows = "".join(
            f"<tr><th>{escape(a.get('title_uk') or a['name'])}</th>"
            f'<td>[item name="{a["name"]}" escape="html"]</td></tr>'
            for a in layer.attributes
        )
        html = (
            "<!-- MapServer Template -->\n"
            f'<table class="feature" data-layer="{layer.slug}"><caption>'
            f"{escape(layer.title_uk)}</caption>{rows}</table>\n"
        )
        path.write_text(html, encoding="utf-8")
    return str(path)


def _style(layer: Layer, kind: str) -> str:
    style = layer.style or {}
    line = _rgb(style.get("color")) or "51 51 51"
    fill = _rgb(style.get("fillColor"))
    opacity = float(style.get("fillOpacity", 0.2 if kind == "POLYGON" else 0.9))
    width = float(style.get("weight", 1))
    if kind == "POLYGON":
        body = f"OUTLINECOLOR {line} WIDTH {width}"
        if fill:
            body = f"STYLE COLOR {fill} OPACITY {round(opacity * 100)} END STYLE {body}"
        else:
            body = f"STYLE {body}"
        return f"CLASS NAME {q(layer.title_uk)} {body} END END"
    if kind == "LINE":
        return f"CLASS NAME {q(layer.title_uk)} STYLE COLOR {line} WIDTH {width} END END"
    size = 2 * float(style.get("radius", 4))
    return (
        f"CLASS NAME {q(layer.title_uk)} STYLE SYMBOL 'circle' SIZE {size} "
        f"COLOR {fill or line} OPACITY {round(opacity * 100)} "
        f"OUTLINECOLOR {line} WIDTH {width} END END"
    )


def _raster_classes(layer: Layer) -> str:
    stops = sorted(
        ((float(k), _rgb(v)) for k, v in (layer.style or {}).get("colormap", {}).items()),
        key=lambda s: s[0],
    )
    classes = []
    for i, (value, rgb) in enumerate(stops):
        if not rgb:
            continue
        upper = f" AND [pixel] < {stops[i + 1][0]}" if i + 1 < len(stops) else ""
        classes.append(
            f"CLASS NAME {q(f'≥ {value:g}')} EXPRESSION ([pixel] >= {value}{upper}) "
            f"STYLE COLOR {rgb} END END"
        )
    return " ".join(classes)


def _extent(layer: Layer) -> str:
    from pyproj import Transformer

    ext = layer.extent if len(layer.extent or []) == 4 else HROMADA["extent"]
    t = Transformer.from_crs(4326, 3857, always_xy=True)
    minx, miny = t.transform(ext[0], ext[1])
    maxx, maxy = t.transform(ext[2], ext[3])
    return f"{minx:.2f} {miny:.2f} {maxx:.2f} {maxy:.2f}"


def _layer(layer: Layer, base_url: str) -> str:
    kind = TYPES.get(layer.geometry_type, "POLYGON")
    meta = {
        "wms_title": layer.title_uk,
        "wms_abstract": layer.description_uk or layer.title_uk,
        "wms_keywordlist": layer.get_category_display(),
        "wms_srs": " ".join(conf.CRS),
        "wms_include_items": "all",
        "gml_include_items": "all",
        "wms_metadataurl_href": f"{base_url}/csw?service=CSW&version=2.0.2&request=GetRecordById"
        f"&outputschema=http://www.isotc211.org/2005/gmd&elementsetname=full&id="
        + str(getattr(getattr(layer, "metadata", None), "identifier", "")),
        "wms_metadataurl_format": "text/xml",
        "wms_metadataurl_type": "ISO19115:2003",
    }
    if layer.attribution:
        meta["wms_attribution_title"] = layer.attribution
    lines = [
        "LAYER",
        f"NAME {q(layer.slug)}",
        f"TYPE {kind}",
        "STATUS ON",
        f"EXTENT {_extent(layer)}",
        'PROJECTION "init=epsg:3857" END',
        "METADATA " + " ".join(f"{q(k)} {q(v)}" for k, v in meta.items()) + " END",
    ]
    if layer.min_zoom:
        lines.append(f"MAXSCALEDENOM {WORLD / 2 ** (layer.min_zoom - 0.5):.0f}")
    if kind == "RASTER":
        lines += [f"DATA {q(layer.raster_path)}", 'PROCESSING "RESAMPLE=BILINEAR"']
        lines.append(_raster_classes(layer))
    else:
        columns = ", ".join(['"fid"'] + [f'"{a["name"]}"' for a in layer.attributes])
        sql = (
            f'geom from (select {columns}, geom from layerdata."{layer.table_name}") as sub '
            "using unique fid using srid=3857"
        )
        lines += [
            "CONNECTIONTYPE POSTGIS",
            f"CONNECTION {q(_connection())}",
            f"DATA {q(sql)}",
            'PROCESSING "CLOSE_CONNECTION=DEFER"',
            f"TEMPLATE {q(_template(layer))}",
            "TOLERANCE 6 TOLERANCEUNITS PIXELS",
            _style(layer, kind),
        ]
    lines.append("END")
    return "\n".join(lines)


def _service_metadata(base_url: str, language: str = "uk") -> dict:
    return {
        "wms_title": f"{HROMADA['name_uk']}: сервіс перегляду (WMS)",
        "wms_abstract": "Шари геопорталу громади як зображення (WMS 1.3.0).",
        "wms_onlineresource": f"{base_url}/wms?",
        "wms_srs": " ".join(conf.CRS),
        "wms_enable_request": "*",
        "wms_encoding": "UTF-8",
        "wms_keywordlist": ",".join(SERVICE["keywords_uk"] + SERVICE["keywords_en"] + ["WMS"]),
        "wms_fees": SERVICE["fees"],
        "wms_accessconstraints": service_text("access_constraints", language),
        "wms_contactorganization": service_text("provider", language),
        "wms_contactperson": SERVICE["contact_name"],
        "wms_contactposition": service_text("contact_position", language),
        "wms_contactelectronicmailaddress": SERVICE["contact_email"],
        "wms_contactvoicetelephone": SERVICE["contact_phone"],
        "wms_addresstype": "postal",
        "wms_city": service_text("city", language),
        "wms_country": SERVICE["country"],
        "wms_feature_info_mime_type": "text/html",
        "wms_getfeatureinfo_formatlist": "text/html,application/json,application/geo+json",
        "wms_getmap_formatlist": "image/png,image/jpeg",
        "wms_allow_getmap_without_styles": "true",
        "wms_sld_enabled": "false",
    }


def mapfile_text(layers: list[Layer], base_url: str) -> str:
    minx, miny, maxx, maxy = HROMADA["extent"]
    meta = _service_metadata(base_url)
    header = f"""MAP
NAME "hromada"
SIZE 512 512
MAXSIZE {conf.MAX_SIZE}
UNITS METERS
EXTENT {_extent(Layer(extent=[minx, miny, maxx, maxy]))}
IMAGECOLOR 255 255 255
PROJECTION "init=epsg:3857" END
CONFIG "MS_ERRORFILE" "stderr"
SYMBOL NAME "circle" TYPE ELLIPSE FILLED TRUE POINTS 1 1 END END
OUTPUTFORMAT NAME "png" DRIVER "AGG/PNG" MIMETYPE "image/png" IMAGEMODE RGBA
  EXTENSION "png" TRANSPARENT ON FORMATOPTION "COMPRESSION=1" END
OUTPUTFORMAT NAME "jpeg" DRIVER "AGG/JPEG" MIMETYPE "image/jpeg" IMAGEMODE RGB
  EXTENSION "jpg" FORMATOPTION "QUALITY=85" END
OUTPUTFORMAT NAME "geojson" DRIVER "OGR/GEOJSON" MIMETYPE "application/json"
  FORMATOPTION "STORAGE=memory" FORMATOPTION "FORM=SIMPLE" FORMATOPTION "LCO:RFC7946=YES" END
OUTPUTFORMAT NAME "geo+json" DRIVER "OGR/GEOJSON" MIMETYPE "application/geo+json"
  FORMATOPTION "STORAGE=memory" FORMATOPTION "FORM=SIMPLE" FORMATOPTION "LCO:RFC7946=YES" END
LEGEND KEYSIZE 20 12 LABEL TYPE BITMAP SIZE MEDIUM COLOR 0 0 0 END END
WEB
  METADATA {" ".join(f"{q(k)} {q(v)}" for k, v in meta.items())} END
END
"""
    return header + "\n".join(_layer(layer, base_url) for layer in layers) + "\nEND\n"


def map_for(layers: list[Layer], base_url: str) -> mapscript.mapObj:
    """A mapObj of ``layers`` for this thread (mapObjs are not shared between threads)."""
    key = (base_url, tuple((layer.pk, layer.version, layer.access) for layer in layers))
    maps = getattr(_cache, "maps", None)
    if maps is None:
        maps = _cache.maps = OrderedDict()
    found = maps.get(key)
    if found is None:
        found = mapscript.fromstring(mapfile_text(layers, base_url))
        maps[key] = found
        while len(maps) > 16:
            maps.popitem(last=False)
    maps.move_to_end(key)
    return found
