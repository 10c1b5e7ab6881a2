"""The PySide6 desktop interface. Only this package (and main.py) imports Qt."""

from __future__ import annotations

import os
import sys
from types import ModuleType

#: This program's packages that may not import Qt (the contract in pyproject.toml).
QT_FREE = frozenset({"cli", "sync", "reports", "services", "models", "checklists", "rules",
                     "resources"})


def _spare_source_scans() -> None:
    """Tell PySide at once whether a module of Python's own or of this program uses it.

    PySide's import hook reads the whole source of every module first imported after Qt
    (Python's ``typing``, ``inspect``, ``dataclasses`` as much as this program's), looking for
    "PySide6", to learn whether the module may switch on PySide's optional ``__feature__``
    names; on a start that is some 5-10 ms of reading (a bundled build has no sources and is
    spared anyway). For these modules the answer is known without reading: Python's standard
    library does not use PySide, ``gui`` does, and this program's other packages may not (the
    layer contract ``lint-imports`` checks). Other modules (``main``, the tests, installed
    packages) are still read. Nothing changes if PySide's hook is not as expected.
    """
    feature = sys.modules.get("PySide6.support.feature")
    scan = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or scan is None or getattr(scan, "spared", False):
        return
    program = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    stdlib = os.path.dirname(os.path.abspath(os.__file__)) + os.sep

    def under(path: str, folder: str) -> bool:  # not in an installed package below it
        return path.startswith(folder) and "-packages" not in path[len(folder):]

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str):
            if under(path, program):
                top = getattr(module, "__name__", "").split(".")[0]
                if top == "gui":
                    return True
                if top in QT_FREE:
                    return False
            elif under(path, stdlib):
                return False
        return bool(scan(module))

    uses_pyside.spared = True  # type: ignore[attr-defined]
    uses_pyside.read = scan  # type: ignore[attr-defined]  (PySide's own reading)
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]


import PySide6.QtCore  # noqa: E402,F401  (PySide's hook is installed with Qt)

_spare_source_scans()
