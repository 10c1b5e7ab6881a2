"""``python main.py inspections --json``: one object per inspection with its counts.

The command runs through ``main.main`` in a child process, as a script would run it (and so
that what it prints is read from its real standard output).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from models.db import Session, open_database
from rules.inspection_status import FAIL, PASS, SELF_CHECK
from services.findings import record_finding
from services.inspection_lifecycle import InspectionSummary, complete_inspection
from tests.conftest import ROOT
from tests.services.inspection_fixtures import (
    assert_integrity,
    checklist,
    new_entity,
    new_inspection,
    officers,
)

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"


def run_main(*argv: str) -> str:
    code = "import sys, main; sys.exit(main.main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", check=False,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def inspections_json(path: Path, *extra: str) -> list[dict[str, Any]]:
    data = json.loads(run_main("--db", str(path), "inspections", "--json", *extra))
    rows: list[dict[str, Any]] = data["inspections"]
    return rows


def _one_pass_one_fail(s: Session) -> tuple[int, InspectionSummary]:
    """A unit and a draft inspection of it with one item 符合 and one 不符合."""
    unit = new_entity(s, "宁安托育园")
    first = new_inspection(s, entity_id=unit)
    record_finding(s, first.id, "FXM-A01", result=PASS)
    record_finding(s, first.id, "FXM-B01", result=FAIL, note="缺尿布台")
    return unit, first


@pytest.mark.slow
def test_inspections_json_lists_each_inspection_with_counts_by_result(tmp_path: Path) -> None:
    path = tmp_path / "work.sqlite"
    db = open_database(path)
    with db.session() as s:
        unit, first = _one_pass_one_fail(s)
        second = new_inspection(s, kind=SELF_CHECK, people=officers(1), entity_id=unit)
        complete_inspection(s, second.id, unchecked_reason=UNCHECKED_REASON)
    assert_integrity(db)
    db.dispose()

    rows = {r["id"]: r for r in inspections_json(path)}
    assert set(rows) == {first.uuid, second.uuid}
    row = rows[first.uuid]
    assert row["entity"] == "宁安托育园"
    assert row["themes"] == ["母婴设施（测试）", "女职工劳动保护（测试）"]
    assert (row["kind"], row["status"], row["version"]) == ("执法检查", "draft", 1)
    total = len(checklist().items)
    assert row["counts"] == {"total": total, "answered": 2, "符合": 1, "不符合": 1, "部分符合": 0,
                             "不适用": 0, "未检查": total - 2}
    assert row["compliance_rate"] == pytest.approx(0.5)
    assert row["started_at"].endswith("+00:00")
    assert rows[second.uuid]["status"] == "completed"

    only = inspections_json(path, "--status", "completed")
    assert [r["id"] for r in only] == [second.uuid]
    table = run_main("--db", str(path), "inspections")
    assert "宁安托育园" in table and "已完成" in table and "不符合 1" in table


@pytest.mark.slow
def test_inspections_on_an_empty_database_says_so(tmp_path: Path) -> None:
    assert inspections_json(tmp_path / "empty.sqlite") == []
    assert "还没有检查记录" in run_main("--db", str(tmp_path / "empty.sqlite"), "inspections")


def _run_counting_modules(*argv: str) -> tuple[str, set[str]]:
    """The command's standard output, and the modules it had loaded when it ended."""
    code = ("import sys, main; code = main.main(sys.argv[1:]); "
            "print(sorted(sys.modules), file=sys.stderr); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout, set(eval(done.stderr.strip().splitlines()[-1]))  # a printed list


@pytest.mark.slow
def test_the_json_of_a_ready_file_is_written_without_the_orm_and_reads_as_pretty(
        tmp_path: Path) -> None:
    path = tmp_path / "work.sqlite"
    db = open_database(path)
    with db.session() as s:
        _one_pass_one_fail(s)
    db.dispose()

    compact, loaded = _run_counting_modules("--db", str(path), "inspections", "--json")
    assert not {"sqlalchemy.orm", "models.inspection", "services.inspection_lifecycle"} & loaded
    pretty, loaded = _run_counting_modules("--db", str(path), "--pretty", "inspections",
                                           "--json")
    assert "services.inspection_lifecycle" in loaded  # the Python path
    assert compact.count("\n") == 1 and "\n  " in pretty
    rows = json.loads(compact)["inspections"]
    assert rows == json.loads(pretty)["inspections"]
    assert [r["compliance_rate"] for r in rows] == [0.5]
    for status in ("draft", "signed"):
        assert (inspections_json(path, "--status", status, "--current")
                == json.loads(run_main("--db", str(path), "--pretty", "inspections", "--json",
                                       "--status", status, "--current"))["inspections"])


@pytest.mark.slow
def test_the_json_of_a_file_that_needs_an_upgrade_is_written_after_the_upgrade(
        tmp_path: Path) -> None:
    import shutil

    frozen = sorted((ROOT / "tests" / "data" / "db").glob("schema-*.sqlite"))[-1]
    path = tmp_path / frozen.name
    shutil.copy(frozen, path)
    rows, loaded = _run_counting_modules("--db", str(path), "inspections", "--json")
    assert "services.inspection_lifecycle" in loaded  # opened, upgraded and read as usual
    assert list((tmp_path / "backups").glob("*.sqlite"))  # backed up before the upgrade
    again, loaded = _run_counting_modules("--db", str(path), "inspections", "--json")
    assert "sqlalchemy.orm" not in loaded  # now ready: read by SQLite
    assert json.loads(again) == json.loads(rows) and json.loads(rows)["inspections"]
