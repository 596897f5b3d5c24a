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
from rasterio._err import CPLE_BaseError
from rasterio.enums import Resampling
from rasterio.errors import CRSError, RasterioError
from rasterio.shutil import copy as rio_copy
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds

from core import conf
from layers.models import GeometryType, Layer, next_version

from .errors import ImportFailed, gdal_message
from .pipeline import ImportOptions, ImportReport, _apply_metadata, file_checksum

__all__ = ["import_raster", "kept_rasters", "rollback_raster"]


def import_raster(path: str | Path, options: ImportOptions) -> ImportReport:
    path = Path(path)
    label = options.source_name or path.name
    started = time.monotonic()
    layer = Layer.objects.filter(slug=options.slug).first()
    version = next_version()  # the file's name: never one an earlier layer of this slug had
    out_dir = Path(conf.RASTER_DIR) / options.slug
    out = out_dir / f"v{version}.tif"
    try:
        src_crs, bounds = _convert(path, options, label, out)
    except CRSError as exc:
        raise ImportFailed(
            f"{label}: unknown coordinate system {options.crs!r} (e.g. EPSG:6385 for UCS-2000 / "
            "Ukraine TM zone 11)",
            code="crs-unknown",
        ) from exc
    except (RasterioError, CPLE_BaseError) as exc:
        raise ImportFailed(f"{label}: cannot be read as a raster: {gdal_message(exc)}",
                           code="unreadable") from exc  # fmt: skip
    finally:
        out.with_suffix(".tmp.tif").unlink(missing_ok=True)
        if out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()  # a failed first import leaves no empty folder behind
    if options.dry_run:
        return ImportReport(slug=options.slug, read=1, imported=1, dry_run=True,
                            seconds=time.monotonic() - started)  # fmt: skip
    with transaction.atomic():
        is_new = layer is None
        if is_new:
            layer = Layer(slug=options.slug, title_uk=options.title_uk or options.slug)
        info = {"driver": "GTiff"}
        _apply_metadata(layer, options, [], GeometryType.RASTER, info, _pyproj(src_crs), label,
                        file_checksum(path, options.sidecar))  # fmt: skip
        layer.geometry_type = GeometryType.RASTER
        layer.raster_path = str(out.relative_to(Path(conf.RASTER_DIR)))
        layer.extent = [round(v, 7) for v in bounds]
        layer.feature_count = 0
        layer.version = version
        layer.data_updated_at = timezone.now()
        layer.save()
    return ImportReport(slug=options.slug, read=1, imported=1, version=layer.version,
                        seconds=time.monotonic() - started)  # fmt: skip


def _convert(path: Path, options: ImportOptions, label: str, out: Path):
    """Check the raster and (unless a dry run) write it to ``out`` as a COG in EPSG:3857;
    (source CRS, lon/lat bounds). GDAL's errors propagate to the caller, which words them."""
    with rasterio.open(path) as src:
        if src.crs is None and not options.crs:
            raise ImportFailed(
                f"{label}: the raster declares no coordinate system; give one with --crs",
                code="crs-missing",
            )
        src_crs = rasterio.CRS.from_user_input(options.crs) if options.crs else src.crs
        bounds = transform_bounds(src_crs, "EPSG:4326", *src.bounds)
        _check_extent(bounds, options, label)
        src.read(1, window=((0, min(src.height, 64)), (0, min(src.width, 64))))  # readable?
        if options.dry_run:
            return src_crs, bounds
        resampling = (
            Resampling.bilinear if src.dtypes[0].startswith("float") else Resampling.nearest
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp.tif")
        with WarpedVRT(src, src_crs=src_crs, crs="EPSG:3857", resampling=resampling) as vrt:
            rio_copy(vrt, tmp, driver="COG", compress="DEFLATE", overview_resampling=resampling.name,
                     blocksize=512)  # fmt: skip
            bounds = transform_bounds("EPSG:3857", "EPSG:4326", *vrt.bounds)
        tmp.replace(out)
    return src_crs, bounds


def _check_extent(bounds, options: ImportOptions, label: str) -> None:
    """A raster that does not touch the hromada is refused (wrong CRS or wrong file), as
    vector imports are, unless --allow-outside-extent."""
    minlon, minlat, maxlon, maxlat = conf.HROMADA["extent"]
    west, south, east, north = bounds
    if options.allow_outside_extent or (west <= maxlon and east >= minlon and south <= maxlat
                                        and north >= minlat):  # fmt: skip
        return
    raise ImportFailed(
        f"{label}: the raster lies outside the hromada's extent (its centre is at lon "
        f"{(west + east) / 2:.3f}, lat {(south + north) / 2:.3f}): check the coordinate system "
        "(--crs); use --allow-outside-extent if this is intended",
        code="outside-extent",
    )


def _pyproj(crs):
    from pyproj import CRS

    return CRS.from_wkt(crs.to_wkt())


def kept_rasters(layer: Layer) -> list[int]:
    """Versions of a raster layer whose files are kept besides the live one, newest first."""
    folder = Path(conf.RASTER_DIR) / layer.slug
    live = Path(layer.raster_path).name
    versions = []
    for path in folder.glob("v*.tif") if folder.is_dir() else []:
        if path.name != live and path.stem[1:].isdigit() and not path.name.endswith(".tmp.tif"):
            versions.append(int(path.stem[1:]))
    return sorted(versions, reverse=True)


def rollback_raster(layer: Layer, version: int | None) -> tuple[Layer, int]:
    """Point raster ``layer`` at a kept file (default: the newest); (layer, version restored).
    Its version moves on, so cached tiles of the newer file are not served again."""
    kept = kept_rasters(layer)
    if not kept:
        raise ImportFailed(f"layer {layer.slug}: no earlier version is kept", code="no-version")
    version = kept[0] if version is None else version
    if version not in kept:
        raise ImportFailed(
            f"layer {layer.slug}: version {version} is not kept (kept: {', '.join(map(str, kept))})",
            code="no-version",
        )
    folder = Path(conf.RASTER_DIR) / layer.slug
    with rasterio.open(folder / f"v{version}.tif") as src:
        layer.extent = [round(v, 7) for v in transform_bounds(src.crs, "EPSG:4326", *src.bounds)]
    layer.raster_path = f"{layer.slug}/v{version}.tif"
    layer.version = next_version()
    layer.data_updated_at = timezone.now()
    layer.save()
    return layer, version
