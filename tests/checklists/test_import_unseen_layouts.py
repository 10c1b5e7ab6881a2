"""Documents in layouts written apart from the parser (tests/data/policies/unseen/, heldout/,
heldout2/, heldout3/, heldout5/ to heldout8/), scored the way ``bench_import_accuracy``
scores them: together they stay above the floors.

Each document has a hand-counted ``.expected.json``; the bench script prints the figures, this
test keeps them from sliding back.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "tests" / "data" / "policies" / name
           for name in ("unseen", "heldout", "heldout2", "heldout3", "heldout5", "heldout6",
                        "heldout7", "heldout8")]


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_import_accuracy", ROOT / "bench" / "bench_import_accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_measures_and_units_of_unseen_layouts_meet_the_floors() -> None:
    scorer = _scorer()
    results = [scorer.score(doc, expected)
               for folder in FOLDERS if folder.is_dir()
               for doc, expected in scorer._documents(folder)]
    assert len(results) >= 40
    expected = sum(r.expected for r in results)
    problems = [f"{r.name}: {p}" for r in results for p in r.problems]
    assert sum(r.error is not None for r in results) == 0, problems
    assert sum(r.found for r in results) >= scorer.FLOOR_FOUND * expected, problems
    assert sum(r.units_right for r in results) >= scorer.FLOOR_UNITS * expected, problems
    # a notice, a news report or a 问答 page that holds no measure gets none
    assert all(r.parsed == 0 for r in results if r.expected == 0), problems
    assert sum(r.invented for r in results) <= 0.01 * expected, problems
    meta_right = sum(r.metadata_right for r in results)
    assert meta_right >= 0.9 * sum(r.metadata_counted for r in results), problems


def test_the_newest_set_reads_without_errors_and_invents_nothing_where_there_is_nothing() -> None:
    scorer = _scorer()
    folder = ROOT / "tests" / "data" / "policies" / "heldout4"
    results = [scorer.score(doc, expected) for doc, expected in scorer._documents(folder)]
    assert len(results) >= 10 and all(r.error is None for r in results)
    assert all(r.parsed == 0 for r in results if r.expected == 0)
