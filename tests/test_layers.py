"""The layers of docs/architecture.md hold: the import-linter contracts in pyproject.toml pass,
they fail when a wrong import is added, and every package below gui/ imports without loading Qt.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT_FREE = ("cli", "services", "reports", "sync", "models", "checklists", "rules", "resources")
PACKAGES = ("gui", *QT_FREE)


def _modules(package: str) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append(".".join(parts))
    return out


@pytest.mark.parametrize("package", QT_FREE)
def test_package_imports_without_loading_qt(package: str) -> None:
    modules = _modules(package)
    assert modules, f"{package} has no modules"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{package} loads Qt: {result.stdout.strip()}"


def test_no_module_outside_gui_imports_pyside6_textually() -> None:
    offenders = []
    for package in QT_FREE:
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if "import PySide6" in source or "from PySide6" in source:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(lint), "--no-cache"], cwd=root, capture_output=True, text=True,
                          check=False)


def test_import_contracts_are_kept() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("services/settings.py", "import PySide6.QtCore", "Qt only in gui/"),
    ("models/system.py", "import services.audit", "Layers"),
    ("checklists/regions.py", "import sqlalchemy", "The policy domain and the rules are pure"),
    ("gui/format.py", "import models.inspection", "gui/ imports no SQLAlchemy"),
    ("gui/format.py", "import sqlalchemy.orm", "gui/ imports no SQLAlchemy"),
    ("rules/workdays.py", "import rules.compliance", None),  # allowed: a sideways import
    ("checklists/supervision.py", "import checklists.generator", "No import cycles"),
])
def test_a_wrong_import_breaks_a_contract(tmp_path: Path, module: str, line: str,
                                          contract: str | None) -> None:
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.yaml", "*.txt"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n",
                      encoding="utf-8")
    result = _lint(tmp_path)
    if contract is None:
        assert result.returncode == 0, result.stdout
    else:
        assert result.returncode != 0
        broken = result.stdout.split("Broken contracts", 1)[-1]
        assert contract in broken, result.stdout
