"""Where user data lives: the platform's user data folder, never beside the program."""

from __future__ import annotations

import os
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


def default_db_path() -> Path:
    return data_dir() / "jiancha.sqlite"


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite"
