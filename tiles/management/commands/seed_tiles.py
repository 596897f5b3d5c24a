"""Pre-warm the tile cache: ``manage.py seed_tiles --layer parcels [--zooms 14-16]
[--bbox 32.7,48.08,32.8,48.14] [--force] [--prune]``.

Tiles are listed with morecantile (WebMercatorQuad) over the bbox (default: the layer's extent)
and rendered into the same cache the tile URLs use, staff-only layers included (they stay
behind the portal's access check). ``--layer`` takes a composite ("a,b") like the tile URL.
"""

from __future__ import annotations

import re

import morecantile
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from layers.models import Layer
from tiles import cache
from tiles.service import SLUG, layer_tile

TMS = morecantile.tms.get("WebMercatorQuad")


def parse_zooms(text: str) -> range:
    match = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", text.strip())
    if not match:
        raise CommandError(f"--zooms {text!r}: give one zoom (15) or a range (10-16)")
    low = int(match[1])
    high = int(match[2]) if match[2] else low
    if low > high or high > 22:
        raise CommandError(f"--zooms {text!r}: need low <= high <= 22")
    return range(low, high + 1)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 4:
        raise CommandError(f"--bbox {text!r}: give minlon,minlat,maxlon,maxlat")
    w, s, e, n = values
    if not (-180 <= w < e <= 180 and -85.06 <= s < n <= 85.06):
        raise CommandError(f"--bbox {text!r}: need west < east, south < north, in degrees")
    return w, s, e, n


class Command(BaseCommand):
    help = "Render a layer's tiles over a bbox and zoom range into the disk cache."

    def add_arguments(self, parser):
        parser.add_argument("--layer", required=True, help="layer slug, or a,b for a composite")
        parser.add_argument("--zooms", help="zoom or range, e.g. 10-16 (default: layer's, to 16)")
        parser.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat (default: layer extent)")
        parser.add_argument("--force", action="store_true", help="render even if cached")
        parser.add_argument(
            "--prune", action="store_true", help="remove the layer's tiles of older versions"
        )

    def handle(self, *args, **opts):
        slugs = opts["layer"].split(",")
        if any(not SLUG.match(s) for s in slugs) or len(set(slugs)) != len(slugs):
            raise CommandError(f"--layer {opts['layer']!r}: give layer slugs separated by commas")
        found = {layer.slug: layer for layer in Layer.objects.filter(slug__in=slugs)}
        missing = [s for s in slugs if s not in found]
        if missing:
            raise CommandError(f"no layer {missing[0]!r} (see the admin's layer list)")
        layers = [found[s] for s in slugs]
        raster = any(layer.is_raster for layer in layers)
        if raster and len(layers) > 1:
            raise CommandError("a raster layer is seeded on its own, not in a composite")
        if raster and not layers[0].raster_path:
            raise CommandError(f"raster layer {slugs[0]!r} has no imported file yet")
        if opts["zooms"]:
            zooms = parse_zooms(opts["zooms"])
        else:
            low = min(layer.min_zoom for layer in layers)
            zooms = range(low, max(low, min(16, max(layer.max_zoom for layer in layers))) + 1)
        if opts["bbox"]:
            bbox = parse_bbox(opts["bbox"])
        else:
            extents = [layer.extent for layer in layers if len(layer.extent or []) == 4]
            if not extents:
                raise CommandError(f"layer {opts['layer']!r} has no extent: give --bbox")
            bbox = (
                min(e[0] for e in extents),
                min(e[1] for e in extents),
                max(e[2] for e in extents),
                max(e[3] for e in extents),
            )
        total = 0
        for z in zooms:
            nw, se = TMS.tile(bbox[0], bbox[3], z), TMS.tile(bbox[2], bbox[1], z)
            total += (se.x - nw.x + 1) * (se.y - nw.y + 1)
        kind = "png" if raster else "mvt"
        rendered = empty = 0
        tiles = TMS.tiles(*bbox, zooms=list(zooms))
        with tqdm(tiles, total=total, unit="tile", disable=opts["verbosity"] == 0) as bar:
            for tile in bar:
                result = layer_tile(layers, kind, tile.z, tile.x, tile.y, fresh=opts["force"])
                rendered += 1
                empty += not result.data
                bar.set_postfix_str(f"z{tile.z}")
        pruned = sum(cache.prune(la.slug, la.version) for la in layers) if opts["prune"] else 0
        if opts["verbosity"]:
            self.stdout.write(
                f"{opts['layer']}: {rendered} tiles at z{zooms.start}-{zooms.stop - 1} "
                f"({empty} empty) in {cache.root()}"
                + (f"; {pruned} old version folders removed" if pruned else "")
            )
