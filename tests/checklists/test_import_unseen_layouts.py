"""Documents in layouts written apart from the parser (tests/data/policies/unseen/), scored the
way ``bench/bench_import_accuracy.py`` scores them: the floors stay met.

Each document has a hand-counted ``.expected.json``; the bench script prints the figures, this
test keeps them from sliding back.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "tests" / "data" / "policies" / name
           for name in ("unseen", "heldout", "heldout2")]


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_import_accuracy", ROOT / "bench" / "bench_import_accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("folder", [f for f in FOLDERS if f.is_dir()], ids=lambda f: f.name)
def test_measures_and_units_of_unseen_layouts_meet_the_floors(folder: Path) -> None:
    scorer = _scorer()
    results = [scorer.score(doc, expected) for doc, expected in scorer._documents(folder)]
    assert len(results) >= 10
    expected = sum(r.expected for r in results)
    problems = [f"{r.name}: {p}" for r in results for p in r.problems]
    assert sum(r.error is not None for r in results) == 0, problems
    assert sum(r.invented for r in results) == 0, problems
    assert sum(r.found for r in results) >= scorer.FLOOR_FOUND * expected, problems
    assert sum(r.units_right for r in results) >= scorer.FLOOR_UNITS * expected, problems
    meta_right = sum(r.metadata_right for r in results)
    assert meta_right >= 0.9 * sum(r.metadata_counted for r in results), problems
