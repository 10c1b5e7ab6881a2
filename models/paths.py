"""Where user data lives: the platform's user data folder, never beside the program."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from platformdirs import user_cache_path, user_data_path

APP_NAME = "shengyu-jiancha"
APP_AUTHOR = "shengyu-jiancha"


#: Names another data folder (a portable install on a USB stick, or a test run).
DATA_DIR_ENV = "SHENGYU_DATA_DIR"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return user_data_path(APP_NAME, APP_AUTHOR, ensure_exists=False)


#: Names another cache folder (a test run keeps its own).
CACHE_DIR_ENV = "SHENGYU_CACHE_DIR"


def cache_dir() -> Path:
    """Where what can be found again is remembered between runs (the report font's file).

    Nothing kept here is needed: a missing or broken cache only costs a search."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    return user_cache_path(APP_NAME, APP_AUTHOR, ensure_exists=False)


def write_cache_file(target: Path, text: str) -> bool:
    """Write a cache file atomically (a temporary file beside it, then renamed). A failure (a
    read-only or full disk, a file where the folder should be) leaves no temporary file and
    returns False: a cache only saves time."""
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def default_db_path() -> Path:
    return data_dir() / "jiancha.sqlite"


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite"
