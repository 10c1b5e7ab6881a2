"""PySide's import hook is told which modules use it without reading their sources."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import gui

ROOT = Path(gui.__file__).resolve().parent.parent


def _scans() -> tuple[Any, Any]:
    feature = sys.modules["PySide6.support.feature"]
    spared = feature._mod_uses_pyside
    assert getattr(spared, "spared", False), "the shortcut is installed as gui is imported"
    return spared, spared.read


def test_the_shortcut_never_says_a_module_that_uses_pyside_does_not() -> None:
    import cli.exchange  # noqa: F401  (a spread of the program's and Python's modules)
    import gui.main_window  # noqa: F401
    import services.catalog  # noqa: F401

    spared, read = _scans()
    checked = 0
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or "-packages" in path:
            continue
        checked += 1
        if read(module):  # PySide, reading the source, finds it uses PySide
            assert spared(module), name
    assert checked > 100


def test_the_qt_free_packages_are_those_of_the_layer_contract() -> None:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    qt_only = next(c for c in contracts["tool"]["importlinter"]["contracts"]
                   if "PySide6" in c.get("forbidden_modules", ()))
    assert set(qt_only["source_modules"]) == gui.QT_FREE


def test_the_programs_modules_are_answered_by_their_layer() -> None:
    import typing

    import gui.app
    import models.db
    import services.catalog

    spared, read = _scans()
    assert spared(gui.app) is True and read(gui.app) is True
    assert spared(services.catalog) is False and read(services.catalog) is False
    assert spared(models.db) is False
    assert spared(typing) is False


def test_modules_from_elsewhere_are_still_read(tmp_path: Path) -> None:
    import importlib.util

    spared, _read = _scans()
    for stem, text, uses in (("plugin_with_qt", "from PySide6 import QtCore\n", True),
                             ("plugin_without", "VALUE = 1\n", False)):
        path = tmp_path / f"{stem}.py"
        path.write_text(text, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert spared(module) is uses
