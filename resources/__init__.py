"""Bundled, read-only data and the one helper that finds it (checkout or PyInstaller build)."""

from __future__ import annotations

import sys
from pathlib import Path

#: The program's version, as packages and receipts name it (keep in step with pyproject.toml).
APP_VERSION = "0.2.0"

_ROOT = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))


def resource_path(*parts: str) -> Path:
    """Path of a bundled file from the project root: ``resource_path("resources", "x")``."""
    return _ROOT.joinpath(*parts)
