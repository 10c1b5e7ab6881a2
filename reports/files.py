"""Putting a finished report in place: whole or not at all, readable like any saved file."""

from __future__ import annotations

import os
from pathlib import Path


def publish(tmp: Path, target: Path) -> None:
    """Replace ``target`` with the finished temporary file ``tmp`` (in the same folder).

    The data is flushed to disk before the rename, so a power cut leaves the old file or the
    new one, never an empty one; the permissions are those of a normally saved file, not the
    owner-only ones of ``tempfile.mkstemp``.
    """
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, target)


#: What a cancelled report build says.
CANCELLED = "已取消生成报告。"
