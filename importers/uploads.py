"""Files arriving from outside (portal uploads, URLs): size caps, zip-bomb and path-traversal
checks before GDAL sees a byte. Every refusal is an ImportFailed naming the file or member,
raised before anything is written to the database."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import requests

from . import conf
from .errors import ImportFailed

__all__ = ["check_archive", "download", "save_upload", "safe_name"]

ARCHIVES = (".zip", ".kmz")
CHUNK = 1 << 20


def safe_name(name: str, label: str | None = None) -> str:
    """A file name that stays inside its folder, or an error naming it."""
    clean = (name or "").replace("\\", "/")
    if clean.startswith("/") or re.match(r"^[a-zA-Z]:", clean) or ".." in clean.split("/"):
        raise ImportFailed(
            f"{label or name}: the path escapes the upload folder", code="path-traversal"
        )
    base = PurePosixPath(clean).name
    if not base or base in (".", ".."):
        raise ImportFailed(f"{label or name!r}: no file name", code="bad-name")
    return base


def check_archive(path: Path, label: str) -> None:
    """Refuse a zip whose members escape the folder, or that inflates beyond the caps."""
    if path.suffix.lower() not in ARCHIVES:
        return
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFailed(
            f"{label}: not a readable zip archive (truncated or damaged): {exc}", code="bad-zip"
        ) from exc
    total = 0
    for member in members:
        safe_name(member.filename, f"{label}: member {member.filename!r}")
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > CHUNK and ratio > conf.MAX_ZIP_RATIO:
            raise ImportFailed(
                f"{label}: member {member.filename!r} inflates {ratio:.0f}x "
                f"(limit {conf.MAX_ZIP_RATIO}x): refused as a zip bomb",
                code="zip-bomb",
            )
    if total > conf.MAX_UNZIPPED_MB * CHUNK:
        raise ImportFailed(
            f"{label}: unpacks to {total // CHUNK} MB (limit {conf.MAX_UNZIPPED_MB} MB): "
            "refused as a zip bomb",
            code="zip-bomb",
        )


def _too_large(label: str) -> ImportFailed:
    return ImportFailed(
        f"{label}: larger than the upload limit of {conf.MAX_UPLOAD_MB} MB", code="too-large"
    )


def save_upload(uploaded, folder: Path) -> Path:
    """Write a Django UploadedFile into ``folder`` under a safe name, within the size cap."""
    name = safe_name(uploaded.name)
    if uploaded.size is not None and uploaded.size > conf.MAX_UPLOAD_MB * CHUNK:
        raise _too_large(name)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    written = 0
    with open(target, "wb") as out:
        for chunk in uploaded.chunks(CHUNK):
            written += len(chunk)
            if written > conf.MAX_UPLOAD_MB * CHUNK:
                raise _too_large(name)
            out.write(chunk)
    check_archive(target, name)
    return target


def download(url: str, folder: Path | None = None) -> Path:
    """Fetch ``url`` into a temporary folder (streamed, size-capped); the caller removes it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ImportFailed(f"{url}: only http and https URLs are fetched", code="bad-url")
    folder = folder or Path(tempfile.mkdtemp(prefix="geoportal-fetch-"))
    try:
        with requests.get(url, stream=True, timeout=(10, 120)) as response:
            if response.status_code != 200:
                raise ImportFailed(f"{url}: HTTP {response.status_code}", code="fetch-failed")
            name = _name_from(response, parts.path) or "download"
            label = safe_name(name, url)
            length = int(response.headers.get("Content-Length") or 0)
            if length > conf.MAX_UPLOAD_MB * CHUNK:
                raise _too_large(url)
            target, written = folder / label, 0
            with open(target, "wb") as out:
                for chunk in response.iter_content(CHUNK):
                    written += len(chunk)
                    if written > conf.MAX_UPLOAD_MB * CHUNK:
                        raise _too_large(url)
                    out.write(chunk)
    except requests.RequestException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise ImportFailed(f"{url}: cannot be fetched: {exc}", code="fetch-failed") from exc
    except ImportFailed:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    check_archive(target, label)
    return target


def _name_from(response, path: str) -> str:
    disposition = response.headers.get("Content-Disposition", "")
    match = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', disposition)
    if match:
        return unquote(match[1]).strip()
    return unquote(PurePosixPath(path).name)
