"""The evidence folder: files addressed by their SHA-256, written so a power cut loses nothing.

Layout under the root (``<data folder>/evidence``)::

    ab/abcdef….jpg            the original bytes, never changed
    thumbs/ab/abcdef….jpg     a small upright copy for lists (JPEG)
    report/ab/abcdef….jpg     a downscaled upright copy for printed reports (JPEG)
    tmp/                      files being written

Every file is written to a temporary name in the same file system, flushed and fsynced, then
renamed into place, and the folder is fsynced; the database row that names it is committed only
after that (DESIGN.md). A file that is already there under its hash is not written again.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class StoreError(OSError):
    """The evidence folder cannot be written. The message is Chinese."""


def evidence_root(db_path: Path) -> Path:
    """The evidence folder that belongs to a database file."""
    return Path(db_path).parent / "evidence"


def object_path(root: Path, sha256: str, ext: str) -> Path:
    return root / sha256[:2] / f"{sha256}{ext}"


def thumbnail_path(root: Path, sha256: str) -> Path:
    return root / "thumbs" / sha256[:2] / f"{sha256}.jpg"


def report_copy_path(root: Path, sha256: str) -> Path:
    return root / "report" / sha256[:2] / f"{sha256}.jpg"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def put_file(root: Path, source: Path, ext: str, max_bytes: int) -> tuple[str, int]:
    """Copy ``source`` into the store; (sha256, size). Reads the source once, and stops with
    :class:`StoreError` if it grows past ``max_bytes`` while being read."""
    with source.open("rb") as src:
        return put_stream(root, src, ext, max_bytes)


def put_stream(root: Path, src: BinaryIO | io.BufferedIOBase, ext: str, max_bytes: int,
               expect: str | None = None) -> tuple[str, int]:
    """Copy a stream into the store; (sha256, size). With ``expect``, a stream whose hash
    differs is refused (:class:`StoreError`) and nothing is stored."""
    tmp = _tmp_name(root)
    digest = hashlib.sha256()
    size = 0
    try:
        with tmp.open("xb") as dst:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                size += len(chunk)
                if size > max_bytes:
                    raise StoreError(f"文件超过 {max_bytes // (1024 * 1024)} MB 的大小限制")
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha = digest.hexdigest()
        if expect is not None and sha != expect:
            raise StoreError("文件内容与其校验值不符")
        _place(tmp, object_path(root, sha, ext))
        return sha, size
    finally:
        tmp.unlink(missing_ok=True)


def put_bytes(root: Path, data: bytes, ext: str) -> str:
    sha = hashlib.sha256(data).hexdigest()
    write_atomic(object_path(root, sha, ext), data, root)
    return sha


def write_atomic(target: Path, data: bytes, root: Path) -> None:
    """Write ``data`` to ``target`` through a fsynced temporary file and a rename."""
    if target.exists() and target.stat().st_size == len(data):
        return
    tmp = _tmp_name(root)
    try:
        with tmp.open("xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _place(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _tmp_name(root: Path) -> Path:
    folder = root / "tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法写入证据文件夹 {root}：{exc.strerror}") from exc
    return folder / f"{uuid.uuid4().hex}.part"


def _place(tmp: Path, target: Path) -> None:
    if target.exists():  # same content already stored under its hash
        return
    created = [p for p in (target.parent.parent, target.parent) if not p.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)
    fsync_dir(target.parent)
    for folder in created:  # a new folder's own entry must reach the disk too
        fsync_dir(folder.parent)


def fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (not possible on Windows, where it is not needed)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
