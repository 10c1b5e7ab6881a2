"""``checklist generate`` / ``coverage`` / ``themes`` on the command line, on a real database
holding the five seed documents."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pyxform.xls2xform import convert

from checklists.leave_rules import load_leave_rules
from checklists.templates import find_theme, load_themes
from checklists.xlsx_findings import read_filled_checklist
from main import main
from models.db import open_database
from services.catalog import load_catalog
from tests.conftest import ROOT

DESIGN_KEYS = {"code", "section", "question", "how_to_check", "evidence", "legal_basis",
               "obligation", "competent_department", "measures", "applies_to", "answer_type",
               "severity", "text_hash"}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "cli.sqlite"
    assert main(["--db", str(path), "checklist", "themes"]) == 0  # loads the seeds once
    return path


def _run(db_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db_path), "checklist", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _json(db_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = _run(db_path, capsys, "generate", *args, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def _catalog_ids(db_path: Path) -> dict[str, str]:
    db = open_database(db_path)
    try:
        with db.session() as session:
            return {d.short: d.id for d in load_catalog(session)}
    finally:
        db.dispose()


def test_generate_json_prints_the_design_keys_for_every_item(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(db_path, capsys, "--theme", "部门督查", "--document", "白银",
                 "--department", "卫生健康", "--as-of", "2026-01-15")
    ids = _catalog_ids(db_path)
    assert data["theme"] == "部门督查"
    assert data["selection"]["documents"] == [ids["白银"]]
    assert data["selection"]["departments"] == ["卫生健康"]
    assert data["items"]
    for item in data["items"]:
        assert DESIGN_KEYS <= item.keys()
        assert item["obligation"] in ("法定义务", "规范义务", "推荐标准", "鼓励")
        assert all(m["document_id"] == ids["白银"] for m in item["measures"])


def test_a_document_is_accepted_by_id_or_region_short(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _catalog_ids(db_path)
    by_short = _json(db_path, capsys, "--theme", "ducha", "--document", "鹿寨",
                     "--department", "卫生健康", "--as-of", "2026-01-15")
    by_id = _json(db_path, capsys, "--theme", "ducha", "--document", ids["鹿寨"],
                  "--department", "卫生健康", "--as-of", "2026-01-15")
    assert by_short == by_id


@pytest.mark.parametrize("name", ["母婴设施", "托育机构消防安全", "女职工劳动保护"])
def test_headline_themes_are_accepted_by_name(db_path: Path, capsys: pytest.CaptureFixture[str],
                                              name: str) -> None:
    if find_theme(load_themes(), name) is None:
        pytest.skip(f"主题“{name}”尚未随软件提供")
    data = _json(db_path, capsys, "--theme", name, "--document", "白银")
    assert data["theme"] == name and data["items"]
    assert all(DESIGN_KEYS <= i.keys() for i in data["items"])


@pytest.mark.parametrize(("args", "message"), [
    (("--theme", "没有的主题"), "没有这个检查主题"),
    (("--theme", "部门督查", "--document", "上海"), "没有这份文件"),
    (("--theme", "部门督查", "--entity-type", "spaceport"), "没有这个被检查单位类型"),
    (("--theme", "部门督查", "--department", "卫健局"), "没有这个部门类别"),
    (("--theme", "部门督查", "--fact", "moon=1"), "未知的单位情况"),
    (("--theme", "部门督查", "--fact", "no-equals-sign"), "键=值"),
    (("--theme", "部门督查", "--as-of", "2026/01/01"), "YYYY-MM-DD"),
    (("--theme", "部门督查", "--format", "xlsx"), "-o"),
])
def test_unknown_names_exit_with_2_and_a_chinese_message(
        db_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
        message: str) -> None:
    code, out, err = _run(db_path, capsys, "generate", *args)
    assert code == 2
    assert out == ""
    assert err.startswith("错误：") and message in err


def test_entity_type_is_accepted_by_code_or_label(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_code = _json(db_path, capsys, "--theme", "部门督查", "--document", "白银",
                    "--entity-type", "township_government", "--as-of", "2025-06-01")
    by_label = _json(db_path, capsys, "--theme", "部门督查", "--document", "白银",
                     "--entity-type", "乡镇人民政府、街道办事处", "--as-of", "2025-06-01")
    assert by_code == by_label
    assert {i["competent_department"] for i in by_code["items"]} == {"人民政府"}


SEED_PROVINCES = {"中宁": "640000", "宝鸡": "610000", "鹿寨": "450000", "内蒙古": "150000",
                  "白银": "620000"}


@pytest.mark.parametrize("short", list(SEED_PROVINCES))
def test_generate_json_states_each_seed_provinces_leave_days_and_article(
        db_path: Path, capsys: pytest.CaptureFixture[str], short: str) -> None:
    """The leave items of a unit in each seed province name its 条例 and, from the data, its day
    counts and article; whatever is not confirmed against the current text says 待核."""
    data = _json(db_path, capsys, "--theme", "女职工劳动保护", "--document", short,
                 "--entity-type", "enterprise", "--as-of", "2026-01-15")
    region = SEED_PROVINCES[short]
    assert data["jurisdiction"][:2] == region[:2]  # the document's county, city or region
    rules = load_leave_rules()
    province = rules.province(region)
    assert province is not None
    items = {i["code"]: i for i in data["items"]}
    for code, kind in rules.items.items():
        item = items[code]
        rule = province.rule(kind)
        first = item["legal_basis"][0]
        assert first["document"] == (rule.regulation if rule else province.regulation)
        assert "以本省条例为准" not in item["question"]
        if rule is not None and rule.days_text():
            for n in re.findall(r"\d+", rule.days_text()):
                assert f"{n}天" in item["question"]
        if rule is not None and rule.article:
            assert first["clause"].startswith(rule.article)
            assert rule.article in item["check_detail"]
        if rule is not None and rule.confirmed:
            assert "待核" not in item["question"] and first["article_verified"]
        else:
            assert "待核" in item["question"] and "待核" in (item["note"] or "")
            assert not first["article_verified"]


def test_xlsx_and_xlsform_are_written_to_the_named_file(
        tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "清单.xlsx"
    code, out, err = _run(db_path, capsys, "generate", "--theme", "部门督查", "--document", "中宁",
                          "--department", "卫生健康", "--format", "xlsx", "-o", str(xlsx))
    assert code == 0, err
    assert str(xlsx) in out and "已生成" in out
    filled = read_filled_checklist(xlsx)
    assert filled.rows and not filled.problems and not filled.stale
    form = tmp_path / "form.xlsx"
    code, out, err = _run(db_path, capsys, "generate", "--theme", "部门督查", "--document", "中宁",
                          "--department", "卫生健康", "--format", "xlsform", "-o", str(form))
    assert code == 0, err
    assert "<h:title>" in convert(xlsform=str(form)).xform


def test_coverage_json_lists_uncovered_measures_of_each_seed(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(db_path, capsys, "coverage", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert {d["short"] for d in data["documents"]} == {"中宁", "宝鸡", "鹿寨", "内蒙古", "白银"}
    for doc in data["documents"]:
        assert doc["covered"] + len(doc["uncovered"]) == doc["measures"]
    code, out, _ = _run(db_path, capsys, "coverage")
    assert code == 0 and "条措施已有检查项" in out


def test_themes_lists_the_shipped_themes(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(db_path, capsys, "themes", "--json")
    assert code == 0
    names = {t["name"] for t in json.loads(out)["themes"]}
    assert names == {t.name for t in load_themes()}


@pytest.mark.slow
def test_generate_runs_as_a_separate_process(db_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(db_path), "checklist", "generate",
         "--theme", "部门督查", "--document", "内蒙古", "--department", "人力资源和社会保障",
         "--as-of", "2026-01-15", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["items"] and all(i["competent_department"] == "人力资源和社会保障"
                                 for i in data["items"])
    bad = subprocess.run(
        [sys.executable, "main.py", "--db", str(db_path), "checklist", "generate",
         "--theme", "不存在的主题"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
        check=False)
    assert bad.returncode == 2 and "没有这个检查主题" in bad.stderr
