"""Where user data lives: the platform's user data folder, never beside the program."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "shengyu-jiancha"
APP_AUTHOR = "shengyu-jiancha"


def data_dir() -> Path:
    return user_data_path(APP_NAME, APP_AUTHOR, ensure_exists=False)


def default_db_path() -> Path:
    return data_dir() / "jiancha.sqlite"


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite"
