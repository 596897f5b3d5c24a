"""Raster import: a GeoTIFF (scanned plan, orthophoto, flood-depth grid) stored as a
Cloud-Optimised GeoTIFF in EPSG:3857, ready for rio-tiler. The new file is written beside the
old one and the layer points at it only when the write succeeded; older files are kept for
rollback."""

from __future__ import annotations

import time
from pathlib import Path

import rasterio
from django.db import transaction
from django.utils import timezone
from rasterio.enums import Resampling
from rasterio.errors import RasterioIOError
from rasterio.shutil import copy as rio_copy
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds

from core import conf
from layers.models import GeometryType, Layer

from .errors import ImportFailed
from .pipeline import ImportOptions, ImportReport, _apply_metadata, file_checksum

__all__ = ["import_raster"]


def import_raster(path: str | Path, options: ImportOptions) -> ImportReport:
    path = Path(path)
    label = options.source_name or path.name
    started = time.monotonic()
    try:
        src = rasterio.open(path)
    except RasterioIOError as exc:
        raise ImportFailed(
            f"{label}: cannot be read as a raster: {exc}", code="unreadable"
        ) from exc
    with src:
        if src.crs is None and not options.crs:
            raise ImportFailed(
                f"{label}: the raster declares no coordinate system; give one with --crs",
                code="crs-missing",
            )
        src_crs = rasterio.CRS.from_user_input(options.crs) if options.crs else src.crs
        resampling = (
            Resampling.bilinear if src.dtypes[0].startswith("float") else Resampling.nearest
        )
        layer = Layer.objects.filter(slug=options.slug).first()
        version = (layer.version + 1) if layer else 1
        out_dir = Path(conf.RASTER_DIR) / options.slug
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / f"v{version}.tif"
        tmp = out.with_suffix(".tmp.tif")
        if options.dry_run:
            return ImportReport(
                slug=options.slug,
                read=1,
                imported=1,
                dry_run=True,
                seconds=time.monotonic() - started,
            )
        with WarpedVRT(src, src_crs=src_crs, crs="EPSG:3857", resampling=resampling) as vrt:
            rio_copy(vrt, tmp, driver="COG", compress="DEFLATE", overview_resampling=resampling.name,
                     blocksize=512)  # fmt: skip
            bounds = transform_bounds("EPSG:3857", "EPSG:4326", *vrt.bounds)
        tmp.replace(out)
        info = {"driver": "GTiff"}
    with transaction.atomic():
        is_new = layer is None
        if is_new:
            layer = Layer(slug=options.slug, title_uk=options.title_uk or options.slug)
        _apply_metadata(
            layer,
            options,
            [],
            GeometryType.RASTER,
            info,
            _pyproj(src_crs),
            label,
            file_checksum(path),
        )
        layer.geometry_type = GeometryType.RASTER
        layer.raster_path = str(out.relative_to(Path(conf.RASTER_DIR)))
        layer.extent = [round(v, 7) for v in bounds]
        layer.feature_count = 0
        if not is_new:
            layer.version = version
        layer.data_updated_at = timezone.now()
        layer.save()
    return ImportReport(
        slug=options.slug,
        read=1,
        imported=1,
        version=layer.version,
        seconds=time.monotonic() - started,
    )


def _pyproj(crs):
    from pyproj import CRS

    return CRS.from_wkt(crs.to_wkt())
